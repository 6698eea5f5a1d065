import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainModel } from '../model/train.ts'
import { Model } from '../model/model.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { ModelFormatError, RawLineScorer, resolveModelFormat, toClassic } from './index.ts'

let dir: string
let model: Model
let baselineLines: string[]

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-score-service-'))
  baselineLines = [...generateSample({ seed: 3, lines: 4_000, fault: null })].map((l) => l.text)
  writeFileSync(join(dir, 'baseline.log'), baselineLines.join('\n') + '\n')
  model = await trainModel([join(dir, 'baseline.log')])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const stamp = '2026-11-24T14:00:05.123Z'

describe('RawLineScorer', () => {
  it('scores baseline lines as normal: positive anomaly_score, a known template', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model))
    const line = baselineLines.find((l) => l.includes(' INFO ')) as string
    const result = toClassic(scorer.score(line))
    expect(result.is_anomaly).toBe(false)
    expect(result.anomaly_score).toBeGreaterThan(0)
    expect(result.known_template).toBe(true)
    expect(result.template).not.toContain(stamp.slice(0, 10))
  })

  it('scores a line of a never-seen template as novel: negative anomaly_score with the reason', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model))
    const result = toClassic(scorer.score(`${stamp} ERROR [payments] c.s.payments.Ledger: reactor core meltdown in sector 7 after 3 retries`))
    expect(result.is_anomaly).toBe(true)
    expect(result.anomaly_score).toBeLessThan(0)
    expect(result.known_template).toBe(false)
    expect(result.reasons[0]).toMatch(/never seen in baseline/)
    // The service does not learn: the same line stays novel.
    expect(toClassic(scorer.score(`${stamp} ERROR [payments] c.s.payments.Ledger: reactor core meltdown in sector 7 after 3 retries`)).known_template).toBe(false)
  })

  it('keeps anomaly_score = threshold − score and is_anomaly = score ≥ threshold', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model))
    for (const line of [baselineLines[10] as string, `${stamp} WARN [cart] x.y.Z: something odd happened`]) {
      const raw = scorer.score(line)
      const classic = toClassic(raw)
      expect(classic.anomaly_score).toBeCloseTo(raw.threshold - raw.score, 5)
      expect(classic.is_anomaly).toBe(raw.score >= raw.threshold)
    }
  })

  it('answers lines differing only in ids and in-range values from the score cache', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model))
    const hits = baselineLines.filter((l) => l.includes('Cache hit for product'))
    const [a, b] = [scorer.score(hits[0] as string), scorer.score(hits[1] as string)]
    expect(a.template).toBe(b.template)
    // The same cached verdict, not merely an equal one.
    expect(a.reasons).toBe(b.reasons)
  })

  it('judges a multi-line message by its first line', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model))
    const line = baselineLines[20] as string
    expect(scorer.score(`${line}\n\tat some.Frame(Frame.java:1)`)).toEqual(scorer.score(line))
  })

  it('bounds the novel shapes it remembers, and still scores them apart', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model), { maxNovelShapes: 8 })
    const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet', 'kilo', 'lima']
    for (const a of words) for (const b of words) scorer.score(`${stamp} INFO [cart] x.y.Z: ${a} ${b} unheard of`)
    expect(scorer.novelShapes).toBeLessThanOrEqual(8)
    expect(scorer.score(`${stamp} INFO [cart] x.y.Z: kilo lima unheard of`).template).toBe('kilo lima unheard of')
  })
})

describe('resolveModelFormat', () => {
  it('takes a given layout over detection', async () => {
    const spec = await resolveModelFormat(model, '<Date> <Content>')
    expect(spec).toEqual({ kind: 'pattern', format: '<Date> <Content>' })
  })

  it('uses the layout the model recorded, even when its baseline files are gone', async () => {
    const moved = await trainModel([join(dir, 'baseline.log')])
    const detected = await resolveModelFormat(moved)
    moved.sources.splice(0, moved.sources.length, { path: join(dir, 'gone.log'), size: 0, sha256: '', lines: 0 })
    expect(moved.format).not.toBeNull()
    expect(await resolveModelFormat(Model.fromSnapshot(moved.toSnapshot()))).toEqual(detected)
  })

  it('refuses clearly when an older model (no recorded layout) has lost its baseline files', async () => {
    const trained = await trainModel([join(dir, 'baseline.log')])
    const { format: _recorded, ...older } = trained.toSnapshot()
    const orphan = Model.fromSnapshot({ ...older, sources: [{ path: join(dir, 'gone.log'), size: 0, sha256: '', lines: 0 }] })
    await expect(resolveModelFormat(orphan)).rejects.toThrow(ModelFormatError)
    await expect(resolveModelFormat(orphan)).rejects.toThrow(/--format/)
  })
})
