import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../case/case-store.ts'
import { listSessions, sessionById, sessionCount, sessionKey, sessionKeyOf } from '../case/session-store.ts'
import type { SessionRow } from '../case/session-store.ts'
import { loadModel, saveModel } from '../model/model-file.ts'
import { scanFile } from '../model/scan.ts'
import { trainModel } from '../model/train.ts'
import { runIngest } from './run-ingest.ts'
import { sourceSessionScores } from './session-pass.ts'
import { prepareScoring } from './scorer-spec.ts'
import { writeSampleLog } from './testing/sample-log.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-sessions-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
const newCase = (): string => join(dir, `case-${++counter}.faultline`)

let incident: string
let modelPath: string

beforeAll(async () => {
  incident = join(dir, 'incident.log')
  await writeSampleLog(incident, { lines: 30_000, seed: 3 })
  const baseline = join(dir, 'baseline.log')
  await writeSampleLog(baseline, { lines: 40_000, seed: 11, fault: null })
  modelPath = join(dir, 'baseline.model.json')
  await saveModel(await trainModel([baseline]), modelPath)
})

function withCase<T>(casePath: string, run: (store: CaseStore) => T): T {
  const store = CaseStore.open(casePath)
  try {
    return run(store)
  } finally {
    store.close()
  }
}

/** The lines' session ids, as the viewer's line filter sees them. */
function lineSessions(store: CaseStore): Int32Array {
  return store.index(1).sessions.slice(0, store.index(1).length)
}

function flaggedKeys(rows: readonly SessionRow[]): string[] {
  return rows.filter((r) => r.anomaly).map((r) => r.key).sort()
}

describe('sessions in the case', () => {
  it('with a baseline model: every line gets its session, and sessions are scored as scanFile scores them', async () => {
    const casePath = newCase()
    const summary = await runIngest({ casePath, sourcePath: incident }, await prepareScoring({ kind: 'model', path: modelPath }, casePath))
    expect(summary.sessions.kind).toBe('session')
    expect(summary.sessions.key).toMatch(/trace id/)
    expect(summary.sessions.flagged).toBeGreaterThan(0)
    const scan = await scanFile(incident, await loadModel(modelPath))
    withCase(casePath, (store) => {
      const db = store.db
      expect(sessionKeyOf(db, 1)?.name).toBe(summary.sessions.key)
      expect(sessionCount(db, 1)).toBe(scan.sessions.length)
      expect(summary.sessions.count).toBe(scan.sessions.length)
      const rows = listSessions(db, 1)
      // The same sessions flagged, with the same scores and reasons.
      expect(flaggedKeys(rows)).toEqual(flaggedKeys(scan.sessions.map((s) => ({ ...s, key: s.id }) as unknown as SessionRow)))
      const byKey = new Map(scan.sessions.map((s) => [s.id, s]))
      for (const row of rows) {
        const expected = byKey.get(row.key)
        expect(expected, row.key).toBeDefined()
        expect(row).toMatchObject({ score: expected?.score, anomaly: expected?.anomaly, reasons: expected?.reasons, firstLine: expected?.firstLine, lastLine: expected?.lastLine, lines: expected?.lines })
      }
      // Sessions scoring 0 have no row, but every scanned session with a score does.
      expect(rows.length).toBe(scan.sessions.filter((s) => s.score > 0).length)

      const top = listSessions(db, 1, { limit: 3 })
      expect(top).toHaveLength(3)
      for (const row of top) {
        expect(row.anomaly).toBe(true)
        expect(row.reasons.length).toBeGreaterThan(0)
        expect(row.reasons.join(' ')).toMatch(/never seen in baseline|ends without|unusual order/)
        expect(sessionKey(db, 1, row.id)).toBe(row.key)
        expect(sessionById(db, 1, row.id)).toEqual(row)
      }
      expect(top.map((r) => r.score ?? 0)).toEqual([...top.map((r) => r.score ?? 0)].sort((a, b) => b - a))

      // The lines carry the session's id: its first and last line, and as many records.
      const sessions = lineSessions(store)
      const first = top[0] as SessionRow
      expect(sessions[first.firstLine - 1]).toBe(first.id)
      expect(sessions[first.lastLine - 1]).toBe(first.id)
      const lines = store.lines(1, first.firstLine, 1)[0]
      expect(lines?.text).toContain(first.key)
      expect(listSessions(db, 1, { anomalies: true }).every((r) => r.anomaly)).toBe(true)
    })
  })

  it('judges a whole run’s sessions from the lines it kept as a pass over the stored columns does, with a model and self-trained', async () => {
    for (const withModel of [true, false]) {
      const casePath = newCase()
      await runIngest({ casePath, sourcePath: incident, blockLines: 256 }, withModel ? await prepareScoring({ kind: 'model', path: modelPath }, casePath) : {})
      const model = withModel ? await loadModel(modelPath) : undefined
      withCase(casePath, (store) => {
        // The ingest judged from its log; read back, with the case's templates as the miner left them.
        const stored = listSessions(store.db, 1, { order: 'line' })
        const canonical = store.canonicalTemplates()
        const texts = new Map(store.templates().map((t) => [t.id, t.text]))
        const read = sourceSessionScores(store.db, 1, { model, keyed: true, resolve: (id) => canonical.get(id) ?? id, templateText: (id) => texts.get(id) ?? '' })
        expect(stored.length).toBeGreaterThan(10)
        const byLine = (a: SessionRow, b: SessionRow): number => a.firstLine - b.firstLine || a.id - b.id
        expect(stored).toEqual([...read].sort(byLine).map((row) => ({ ...row, reasons: [...row.reasons] })))
      })
    }
  })

  it('self-trained (no model): sessions scored against the file’s own sessions', async () => {
    const casePath = newCase()
    const summary = await runIngest({ casePath, sourcePath: incident })
    expect(summary.scored).toBe(false)
    expect(summary.sessions.kind).toBe('session')
    expect(summary.sessions.count).toBeGreaterThan(1_000)
    expect(summary.sessions.flagged).toBeGreaterThan(0)
    withCase(casePath, (store) => {
      const top = listSessions(store.db, 1, { anomalies: true, limit: 5 })
      expect(top.length).toBeGreaterThan(0)
      for (const row of top) {
        expect(row.reasons.length).toBeGreaterThan(0)
        expect(row.reasons.join(' ')).not.toMatch(/baseline/)
      }
    })
    // The same key and sessions as scanFile's self-training; flags agree on most sessions
    // (the ingest mines online, scanFile trains on the whole file first).
    const scan = await scanFile(incident, null)
    const ours = withCase(casePath, (store) => new Set(flaggedKeys(listSessions(store.db, 1))))
    const theirs = new Set(scan.sessions.filter((s) => s.anomaly).map((s) => s.id))
    const common = [...ours].filter((k) => theirs.has(k)).length
    expect(common / Math.max(ours.size, theirs.size)).toBeGreaterThan(0.8)
  })

  it('a resume after a cancel stores exactly the sessions of an uninterrupted ingest', async () => {
    const reference = newCase()
    const scoring = await prepareScoring({ kind: 'model', path: modelPath }, reference)
    await runIngest({ casePath: reference, sourcePath: incident }, scoring)

    const casePath = newCase()
    const cancel = new AbortController()
    const first = await runIngest(
      { casePath, sourcePath: incident, commitIntervalMs: 5, progressIntervalMs: 0, checkpointIntervalMs: 0, blockLines: 256 },
      { ...(await prepareScoring({ kind: 'model', path: modelPath }, casePath)), signal: cancel.signal, onProgress: (p) => p.lines > 8_000 && cancel.abort() }
    )
    expect(first.state).toBe('cancelled')
    expect(first.sessions.scored).toBe(0)
    const resumed = await runIngest({ casePath, resumeSourceId: 1 }, await prepareScoring(undefined, casePath))
    expect(resumed.state).toBe('complete')
    const [a, b] = [reference, casePath].map((path) => withCase(path, (store) => ({ lines: [...lineSessions(store)], sessions: listSessions(store.db, 1), count: sessionCount(store.db, 1) })))
    expect(b).toEqual(a)
  })

  it('a log without session ids gets time windows, a burst flagged', async () => {
    const path = join(dir, 'heartbeat.log')
    const lines: string[] = []
    const start = Date.parse('2026-01-01T00:00:00Z')
    const at = (ms: number): string => new Date(start + ms).toISOString()
    for (let s = 0; s < 3 * 3600; s++) {
      lines.push(`${at(s * 1000)} INFO  [monitor] Heartbeat ok from node ${s % 7}`)
      if (s % 10 === 0) lines.push(`${at(s * 1000 + 500)} INFO  [cache] Cache refreshed in ${20 + (s % 13)} ms`)
      // A retry storm of five minutes in the second hour.
      if (s >= 4000 && s < 4300) for (let k = 0; k < 20; k++) lines.push(`${at(s * 1000 + 600 + k)} WARN  [db] Retrying connection to db-${k % 3} attempt ${k}`)
    }
    writeFileSync(path, lines.join('\n') + '\n')
    const casePath = newCase()
    const summary = await runIngest({ casePath, sourcePath: path })
    expect(summary.sessions).toMatchObject({ kind: 'window', key: null })
    expect(summary.sessions.count).toBeGreaterThanOrEqual(30)
    withCase(casePath, (store) => {
      expect(sessionKeyOf(store.db, 1)).toBeNull()
      expect(lineSessions(store).every((s) => s === -1)).toBe(true)
      const windows = listSessions(store.db, 1, { order: 'line' })
      expect(windows).toHaveLength(summary.sessions.count)
      expect(windows.every((w) => w.kind === 'window' && w.firstTs !== null && w.lastTs !== null && w.firstTs < w.lastTs)).toBe(true)
      const flagged = windows.filter((w) => w.anomaly)
      expect(flagged.length).toBeGreaterThan(0)
      const burst = Date.parse(at(4000 * 1000))
      for (const w of flagged) {
        expect(w.reasons.join(' ')).toMatch(/burst: 'Retrying connection/)
        expect(w.lastTs as number).toBeGreaterThan(burst)
      }
    })
  })
})
