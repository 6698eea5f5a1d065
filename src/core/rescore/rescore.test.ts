import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../case/case-store.ts'
import { sessionSummary } from '../case/session-store.ts'
import { runIngest } from '../ingest/run-ingest.ts'
import { prepareScoring } from '../ingest/scorer-spec.ts'
import type { Scoring } from '../ingest/scorer-spec.ts'
import { saveModel, serializeModel } from '../model/model-file.ts'
import type { Model } from '../model/model.ts'
import { trainModel } from '../model/train.ts'
import { trainModelFromCase } from '../model/train-case.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { markNormal, normalMarks, unmarkNormal, withFeedback } from './feedback.ts'
import { rescoreSource } from './rescore-source.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-rescore-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
const newCase = (): string => join(dir, `case-${++counter}.faultline`)
const injected = new Set<number>()
const incident = join(dir, 'incident.log')
const baseline = join(dir, 'baseline.log')
let model: Model
let modelPath: string

function write(path: string, options: Parameters<typeof generateSample>[0], truth?: Set<number>): void {
  const lines: string[] = []
  for (const line of generateSample(options)) {
    lines.push(line.text)
    if (line.injected) truth?.add(lines.length)
  }
  writeFileSync(path, lines.join('\n') + '\n')
}

/** Per line: its stored score, as the viewer reads it. */
function scores(store: CaseStore): number[] {
  return store.lines(1, 1, store.source(1)?.lines ?? 0).map((l) => l.score)
}

function flaggedLines(store: CaseStore): number[] {
  return store.db.prepare(`SELECT line_no FROM anomalies WHERE source_id = 1 ORDER BY line_no`).pluck().all() as number[]
}

beforeAll(async () => {
  write(baseline, { seed: 1, lines: 12_000, requestsPerSecond: 12, fault: null })
  write(incident, { seed: 2, lines: 12_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } }, injected)
  model = await trainModel([baseline])
  modelPath = join(dir, 'baseline.model.json')
  await saveModel(model, modelPath)
}, 60_000)

describe('re-scoring a case in place', () => {
  it('gives exactly what an ingest with the same model stored, and reports no change', async () => {
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: incident }, await scoring())
    const store = CaseStore.open(casePath)
    try {
      const stored = scores(store)
      const flagged = flaggedLines(store)
      const sessions = sessionSummary(store.db, 1)
      const result = await rescoreSource(store, 1, model)
      expect(result).toMatchObject({ sameTemplates: true, flagged: flagged.length, newlyFlagged: 0, cleared: 0, lines: 12_000 })
      expect(scores(store)).toEqual(stored)
      expect(flaggedLines(store)).toEqual(flagged)
      expect(sessionSummary(store.db, 1)).toEqual(sessions)
    } finally {
      store.close()
    }
  })

  it('scores an unscored case against a model mined elsewhere, matching its lines to the model\'s templates', async () => {
    const scoredPath = newCase()
    await runIngest({ casePath: scoredPath, sourcePath: incident }, await scoring())
    const scored = CaseStore.open(scoredPath)
    const expected = flaggedLines(scored)
    scored.close()

    const casePath = newCase()
    await runIngest({ casePath, sourcePath: incident })
    const store = CaseStore.open(casePath)
    try {
      expect(flaggedLines(store)).toEqual([])
      const result = await rescoreSource(store, 1, model, { record: { name: 'baseline.model.json', snapshot: serializeModel(model) }, sampleSize: 5 })
      expect(result.sameTemplates).toBe(false)
      expect(result.cleared).toBe(0)
      expect(result.newlyFlagged).toBe(result.flagged)
      expect(result.newlyFlaggedLines).toHaveLength(5)
      const flagged = flaggedLines(store)
      // The same lines as an ingest scored with the model, but for template boundaries.
      const agree = flagged.filter((line) => expected.includes(line)).length
      expect(agree / Math.max(expected.length, flagged.length)).toBeGreaterThan(0.95)
      expect(flagged.filter((line) => injected.has(line)).length / flagged.length).toBeGreaterThan(0.9)
      // Line scores, the viewer's index, sessions and templates all follow.
      expect(store.lines(1, flagged[0] as number, 1)[0]?.score).toBeGreaterThanOrEqual(0.5)
      expect(store.index(1).blocks.some((b) => b.maxScore >= 0.5)).toBe(true)
      expect(sessionSummary(store.db, 1).flagged).toBeGreaterThan(0)
      const outage = store.templates().find((t) => t.text.startsWith('Could not acquire DB connection'))
      expect(outage).toMatchObject({ baselineCount: 0 })
      const common = store.templates()[0]
      expect(common?.baselineCount).toBeGreaterThan(0)
      expect(model.templates.get(common?.modelTemplate as number)?.text).toBe(common?.text)
      expect(outage?.modelTemplate).toBeNull()
      expect(store.activeModel()?.name).toBe('baseline.model.json')
    } finally {
      store.close()
    }
  })

  it('self-trains from the case\'s own lines and flags the outage without reading the file again', async () => {
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: incident })
    const store = CaseStore.open(casePath)
    try {
      const own = trainModelFromCase(store, 1, { mode: 'self' })
      const fromFile = await trainModel([incident], { mode: 'self' })
      expect(own.totalLines).toBe(fromFile.totalLines)
      expect(own.templates.size).toBe(fromFile.templates.size)
      expect(own.sessionKey?.name).toBe(fromFile.sessionKey?.name)
      expect(own.sources[0]).toMatchObject({ path: incident, lines: 12_000, fromCase: { path: casePath, sourceId: 1 } })
      const result = await rescoreSource(store, 1, own)
      expect(result.sameTemplates).toBe(true)
      expect(result.flagged).toBeGreaterThan(0)
      const flagged = flaggedLines(store)
      expect(flagged.filter((line) => injected.has(line)).length / flagged.length).toBeGreaterThan(0.8)
    } finally {
      store.close()
    }
  })

  it('learns "normal" from a stretch of the case: what only happens outside it is flagged', async () => {
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: incident })
    const store = CaseStore.open(casePath)
    try {
      const firstInjected = Math.min(...injected)
      const normal = trainModelFromCase(store, 1, { mode: 'baseline', selection: { lines: { from: 1, to: firstInjected - 1 } } })
      expect(normal.sources[0]?.fromCase).toMatchObject({ lines: [1, firstInjected - 1] })
      expect(normal.totalLines).toBeLessThan(firstInjected)
      const result = await rescoreSource(store, 1, normal)
      expect(result.sameTemplates).toBe(true)
      const flagged = flaggedLines(store)
      expect(flagged.every((line) => line >= firstInjected)).toBe(true)
      expect(flagged.some((line) => injected.has(line))).toBe(true)
      // Explicit lines and a time range select the same way.
      const times = store.lines(1, 1, 2).map((l) => l.ts as number)
      const someLines = trainModelFromCase(store, 1, { selection: { only: [1, 2, 3] } })
      expect(someLines.totalLines).toBeLessThanOrEqual(3)
      const window = trainModelFromCase(store, 1, { selection: { time: { from: times[0] as number, to: (times[0] as number) + 60_000 } } })
      expect(window.totalLines).toBeGreaterThan(0)
      expect(window.totalLines).toBeLessThan(normal.totalLines)
    } finally {
      store.close()
    }
  })
})

describe('re-scoring what an ingest left', () => {
  it('re-scores a cancelled source\'s committed lines, and refuses one still ingesting', async () => {
    const casePath = newCase()
    const controller = new AbortController()
    const summary = await runIngest(
      { casePath, sourcePath: incident, commitIntervalMs: 1, progressIntervalMs: 0, checkpointIntervalMs: 1_000_000 },
      { signal: controller.signal, onProgress: (p) => p.lines > 3_000 && controller.abort() }
    )
    expect(summary.state).toBe('cancelled')
    const store = CaseStore.open(casePath)
    try {
      const result = await rescoreSource(store, 1, model)
      expect(result.lines).toBe(summary.lines)
      store.updateSource(1, { state: 'ingesting' })
      await expect(rescoreSource(store, 1, model)).rejects.toThrow(/still being ingested/)
    } finally {
      store.close()
    }
  })
})

describe('"normal" feedback', () => {
  it('derives the scoring model from the base model and the marks, touching only marks of kind normal', async () => {
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: incident }, await scoring())
    const store = CaseStore.open(casePath)
    try {
      const line = flaggedLines(store)[0] as number
      expect(withFeedback(model, store, 1)).toBe(model)
      const bookmark = Number(store.db.prepare(`INSERT INTO marks (kind, source_id, line_no, created_at) VALUES ('bookmark', 1, ?, 0)`).run(line).lastInsertRowid)
      expect(unmarkNormal(store, bookmark)).toBe(false)
      const mark = markNormal(store, { sourceId: 1, lineNo: line }, 1)
      const base = JSON.stringify(model.toSnapshot())
      const effective = withFeedback(model, store, 1)
      expect(effective).not.toBe(model)
      // The base model is left as it was: feedback lives in the marks.
      expect(JSON.stringify(model.toSnapshot())).toBe(base)
      const result = await rescoreSource(store, 1, effective)
      expect(result.clearedLines).toContain(line)
      expect(unmarkNormal(store, mark)).toBe(true)
      expect(normalMarks(store)).toEqual([])
      expect(store.db.prepare(`SELECT count(*) FROM marks WHERE kind = 'bookmark'`).pluck().get()).toBe(1)
      const undone = await rescoreSource(store, 1, withFeedback(model, store, 1))
      expect(undone.newlyFlaggedLines).toContain(line)
      expect(() => markNormal(store, { templateId: 1e9 }, 1)).toThrow(/no template/)
    } finally {
      store.close()
    }
  })
})

/** What an ingest scored with the baseline model gets (its miner seeded from the model's). */
function scoring(): Promise<Scoring> {
  return prepareScoring({ kind: 'model', path: modelPath }, join(dir, 'none'))
}
