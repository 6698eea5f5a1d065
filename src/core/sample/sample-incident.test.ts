import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { renderSampleFile, sampleFiles, sampleLabelsName } from './sample-files.ts'
import { generateSample } from './sample-incident.ts'

const resources = new URL('../../../resources/sample/', import.meta.url)

describe('sample incident generator', () => {
  it('is deterministic for a seed and stops at the requested line count', () => {
    const a = [...generateSample({ seed: 5, lines: 3_000 })].map((l) => l.text)
    const b = [...generateSample({ seed: 5, lines: 3_000 })].map((l) => l.text)
    expect(a).toHaveLength(3_000)
    expect(a).toEqual(b)
    expect([...generateSample({ seed: 6, lines: 3_000 })].map((l) => l.text)).not.toEqual(a)
  })

  it('writes record-start lines in time order, with stack traces as continuation lines', () => {
    let last = 0
    let continuation = 0
    for (const { text } of generateSample({ seed: 3, lines: 20_000, fault: { startAt: 0.3, length: 0.3 } })) {
      if (text.startsWith('\t') || text.startsWith('java.')) {
        continuation++
        continue
      }
      const ts = Date.parse(text.slice(0, 24))
      expect(ts).toBeGreaterThanOrEqual(last)
      last = ts
    }
    expect(continuation).toBeGreaterThan(0)
  })

  it('injects the outage only when asked, and marks its lines', () => {
    const calm = [...generateSample({ seed: 9, lines: 20_000, fault: null })]
    expect(calm.some((l) => l.injected || l.text.includes('HikariPool-1 - Connection is not available'))).toBe(false)
    const incident = [...generateSample({ seed: 9, lines: 20_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.2 } })]
    const injected = incident.filter((l) => l.injected)
    expect(injected.some((l) => l.text.includes('Connection is not available'))).toBe(true)
    expect(injected.some((l) => / 503 in \d+ ms/.test(l.text))).toBe(true)
    // Every line that only the outage produces is marked.
    for (const line of incident) {
      if (line.text.includes('Connection is not available') || line.text.includes('payments unavailable')) {
        expect(line.injected).toBe(true)
      }
    }
  })

  it('matches the sample committed in resources/sample (regenerate with scripts/generate-sample.ts)', () => {
    for (const which of ['baseline', 'incident'] as const) {
      const committed = gunzipSync(readFileSync(new URL(sampleFiles[which].name, resources))).toString('utf8')
      const { text, labels } = renderSampleFile(which)
      expect(committed === text, `${which} differs from the generator`).toBe(true)
      if (which === 'incident') {
        expect(JSON.parse(readFileSync(new URL(sampleLabelsName, resources), 'utf8'))).toEqual(labels)
      }
    }
  })
})
