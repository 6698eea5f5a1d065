/**
 * The bundled sample: a known-good baseline and an incident with the payments outage, as the
 * app ships them in `resources/sample`. `scripts/generate-sample.ts` writes them; a test checks
 * that the committed files are exactly what this code generates.
 */
import { generateSample } from './sample-incident.ts'
import type { SampleLine, SampleOptions } from './sample-incident.ts'

export const sampleFiles = {
  baseline: { name: 'baseline.log.gz', options: { seed: 11, lines: 40_000, requestsPerSecond: 12, fault: null } },
  incident: {
    name: 'incident.log.gz',
    options: { seed: 23, lines: 40_000, requestsPerSecond: 12, startMs: Date.UTC(2026, 10, 24, 15, 0, 0), fault: { startAt: 0.55, length: 0.2 } }
  }
} as const satisfies Record<string, { name: string; options: SampleOptions }>

export const sampleLabelsName = 'incident.labels.json'

export interface SampleLabels {
  /** 1-based inclusive line ranges that belong to the injected fault. */
  injectedRanges: [from: number, to: number][]
  injectedLines: number
  totalLines: number
}

export function renderSample(lines: Iterable<SampleLine>): { text: string; labels: SampleLabels } {
  const out: string[] = []
  const ranges: [number, number][] = []
  let lineNo = 0
  let injected = 0
  for (const line of lines) {
    lineNo++
    out.push(line.text)
    if (!line.injected) continue
    injected++
    const last = ranges.at(-1)
    if (last && last[1] === lineNo - 1) last[1] = lineNo
    else ranges.push([lineNo, lineNo])
  }
  return { text: out.join('\n') + '\n', labels: { injectedRanges: ranges, injectedLines: injected, totalLines: lineNo } }
}

export function renderSampleFile(which: keyof typeof sampleFiles): { text: string; labels: SampleLabels } {
  return renderSample(generateSample(sampleFiles[which].options))
}
