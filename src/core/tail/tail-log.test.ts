import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Model } from '../model/model.ts'
import { trainModel } from '../model/train.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { LiveScorer } from './live-scorer.ts'
import { startTail } from './tail-log.ts'
import type { LogTail, TailBatch } from './tail-log.ts'
import type { Line } from '../read/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-tail-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const normal = [...generateSample({ seed: 5, lines: 6_000, fault: null })].map((l) => l.text)
const reference = normal.slice(0, 4_000)
const later = normal.slice(4_000)
const novel = '2026-11-24T14:30:00.000Z FATAL [payments] c.s.payments.PaymentGateway: Ledger checksum mismatch on shard 7, refusing writes'
const frames = ['java.lang.IllegalStateException: ledger corrupt', '\tat c.s.payments.Ledger.write(Ledger.java:88)']
let model: Model

beforeAll(async () => {
  const path = join(dir, 'reference.log')
  writeFileSync(path, reference.join('\n') + '\n')
  model = await trainModel([path])
})

const asLines = (texts: readonly string[], first = 1): Line[] =>
  texts.map((text, i) => ({ lineNo: first + i, offset: 0, text, byteLength: Buffer.byteLength(text), truncated: false }))

describe('LiveScorer', () => {
  it('alerts on a template the model never saw, and lets its stack frames follow in a later batch', () => {
    const scorer = new LiveScorer({ model, sample: reference.slice(0, 500) })
    expect(scorer.layout).toContain('<Content>')
    const first = scorer.score(asLines([...later.slice(0, 300), novel]))
    const second = scorer.score(asLines([...frames, later[300] as string], 302))
    const alerts = scorer.alerts([...first, ...second])
    expect(alerts.map((a) => a.lineNo)).toContain(301)
    const alert = alerts.find((a) => a.lineNo === 301)
    expect(alert).toMatchObject({ text: novel, ts: Date.UTC(2026, 10, 24, 14, 30), level: 7 })
    expect(alert?.reasons[0]).toMatch(/never seen/)
    expect(alert?.score).toBeGreaterThan(0.9)
    // The frames join the flagged record: same score, never alerts of their own.
    expect(second.slice(0, 2).map((s) => [s.head, s.score])).toEqual([
      [false, alert?.score],
      [false, alert?.score]
    ])
    // Normal traffic from the same system rarely alerts.
    expect(alerts.length).toBeLessThanOrEqual(1 + 300 * 0.02)
  })
})

async function collectUntil(tail: LogTail, done: (batches: TailBatch[]) => boolean): Promise<TailBatch[]> {
  const out: TailBatch[] = []
  const deadline = setTimeout(() => tail.close(), 10_000)
  for await (const batch of tail.batches) {
    out.push(batch)
    if (done(out)) break
  }
  clearTimeout(deadline)
  tail.close()
  return out
}

const alertTexts = (batches: TailBatch[]): string[] => batches.flatMap((b) => b.alerts.map((a) => a.text))

describe('startTail', () => {
  it('scores only lines appended after the start with a given model', async () => {
    const path = join(dir, 'with-model.log')
    writeFileSync(path, `${novel} (already there)\n`)
    const tail = await startTail(path, { model, pollMs: 20 })
    expect(tail.reference).toBe('model')
    appendFileSync(path, [...later.slice(0, 100), novel, ...later.slice(100, 120)].join('\n') + '\n')
    const batches = await collectUntil(tail, (b) => b.reduce((n, x) => n + x.lines.length, 0) >= 121)
    expect(alertTexts(batches)).toContain(novel)
    expect(alertTexts(batches).some((t) => t.includes('already there'))).toBe(false)
    expect(batches.flatMap((b) => b.lines.map((l) => l.line.lineNo))).toEqual(Array.from({ length: 121 }, (_, i) => i + 1))
  })

  it('without a model, takes the lines the file holds as the reference', async () => {
    const path = join(dir, 'existing.log')
    writeFileSync(path, reference.join('\n') + '\n')
    const tail = await startTail(path, { pollMs: 20 })
    expect(tail.reference).toBe('existing-lines')
    appendFileSync(path, [...later.slice(0, 50), novel].join('\n') + '\n')
    const batches = await collectUntil(tail, (b) => b.reduce((n, x) => n + x.lines.length, 0) >= 51)
    expect(alertTexts(batches)).toContain(novel)
  })

  it('without a model and with a short file, learns the first lines before scoring', async () => {
    const path = join(dir, 'warm-up.log')
    writeFileSync(path, reference.slice(0, 100).join('\n') + '\n')
    const tail = await startTail(path, { pollMs: 20, warmupLines: 1_000 })
    expect(tail.reference).toBe('warm-up')
    const first = await tail.batches[Symbol.asyncIterator]().next()
    expect(first.value).toMatchObject({ lines: [], alerts: [], warmingUp: 900 })
    appendFileSync(path, reference.slice(100, 1_000).join('\n') + '\n')
    appendFileSync(path, [novel, ...later.slice(0, 20)].join('\n') + '\n')
    const batches = await collectUntil(tail, (b) => b.reduce((n, x) => n + x.lines.length, 0) >= 21)
    const scored = batches.flatMap((b) => b.lines)
    expect(scored[0]?.line.lineNo).toBe(1_001)
    expect(alertTexts(batches)).toContain(novel)
  })
})
