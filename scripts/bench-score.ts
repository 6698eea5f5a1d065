/**
 * Line-scoring speed once lines are parsed: batch lines/s and single-line latency.
 *   node scripts/bench-score.ts [--lines 500000]
 * Trains on a generated baseline, parses a generated incident into memory, then times only the
 * scorer over those inputs.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { trainModel } from '../src/core/model/train.ts'
import type { ScoreInput } from '../src/core/model/line-scorer.ts'
import { openRecordStream } from '../src/core/parse/index.ts'
import { generateSample } from '../src/core/sample/sample-incident.ts'
import { normalizeLevel } from '../src/shared/levels.ts'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '500000' } } })
const lines = Number(values.lines)
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-score-'))
try {
  const write = (path: string, fault: boolean): void => {
    const text: string[] = []
    for (const line of generateSample({ seed: fault ? 2 : 1, lines, fault: fault ? { startAt: 0.5, length: 0.1 } : null })) text.push(line.text)
    writeFileSync(path, text.join('\n') + '\n')
  }
  write(join(dir, 'baseline.log'), false)
  write(join(dir, 'incident.log'), true)
  const model = await trainModel([join(dir, 'baseline.log')])
  const miner = model.miner()
  const inputs: ScoreInput[] = []
  const stream = await openRecordStream(join(dir, 'incident.log'))
  for await (const batch of stream.batches) {
    for (const record of batch) {
      const split = stream.splitter.split(record.head.text)
      const id = miner.match(split.content) ?? miner.add(split.content)
      inputs.push({ templateId: id, template: miner.template(id).text, params: miner.params(id, split.content), level: normalizeLevel(split.fields.level), ts: split.fields.ts, content: split.content })
    }
  }

  const scorer = model.lineModel()
  for (const input of inputs.slice(0, 20_000)) scorer.scoreLine(input) // warm-up
  let flagged = 0
  const batchStart = performance.now()
  for (const input of inputs) if (scorer.scoreLine(input).anomaly) flagged++
  const batchMs = performance.now() - batchStart

  const fresh = model.lineModel()
  for (const input of inputs.slice(0, 20_000)) fresh.scoreLine(input)
  const samples: number[] = []
  for (let i = 0; i < inputs.length; i += 7) {
    const start = process.hrtime.bigint()
    fresh.scoreLine(inputs[i] as ScoreInput)
    samples.push(Number(process.hrtime.bigint() - start) / 1_000)
  }
  samples.sort((a, b) => a - b)
  const q = (p: number): string => (samples[Math.floor(p * (samples.length - 1))] as number).toFixed(2)
  console.log(`records scored: ${inputs.length.toLocaleString('en-US')} (${flagged.toLocaleString('en-US')} flagged)`)
  console.log(`batch: ${((inputs.length / batchMs) * 1_000).toFixed(0)} lines/s on one core`)
  console.log(`single line after warm-up: p50 ${q(0.5)} µs, p99 ${q(0.99)} µs, max ${q(1)} µs`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
