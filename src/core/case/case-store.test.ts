import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { lineFlag } from './block-codec.ts'
import { openVersioned } from '../store/sqlite.ts'
import { caseSchema } from './case-schema.ts'
import { listSessions } from './session-store.ts'
import { CaseStore } from './case-store.ts'
import { timeRange } from './time-buckets.ts'
import { filterLines } from './filter-lines.ts'
import { widenToRuns } from './line-list.ts'
import type { CaseLine } from './source-writer.ts'

const stores: CaseStore[] = []
const folders: string[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function newCasePath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'faultline-case-'))
  folders.push(folder)
  return join(folder, 'test.faultline')
}

function track(store: CaseStore): CaseStore {
  stores.push(store)
  return store
}

function line(n: number, extra: Partial<CaseLine> = {}): CaseLine {
  return { offset: n * 100, text: `line ${n} — ünïcode, tabs\tand "quotes"`, ts: 1_000 * n, template: n % 3, session: -1, level: 3, flags: 0, score: 0, ...extra }
}

describe('case store', () => {
  it('reads back exactly what was written, across block boundaries', () => {
    const store = track(CaseStore.create(newCasePath()))
    const id = store.addSource({ path: '/logs/app.log', size: 1234, startedAt: 0 })
    const writer = store.writer(id, { blockLines: 4, blocksPerCommit: 2 })
    for (let n = 1; n <= 11; n++) writer.append(line(n, n === 5 ? { ts: Number.NaN, flags: lineFlag.continuation } : {}), n * 100)
    writer.commit(1_100)
    const lines = store.lines(id, 3, 6)
    expect(lines.map((l) => l.lineNo)).toEqual([3, 4, 5, 6, 7, 8])
    expect(lines[0]).toEqual({ lineNo: 3, offset: 300, text: line(3).text, ts: 3_000, level: 3, template: 0, session: -1, flags: 0, score: 0 })
    expect(lines[2]).toMatchObject({ lineNo: 5, ts: null, flags: lineFlag.continuation })
    expect(store.lines(id, 10, 50).map((l) => l.lineNo)).toEqual([10, 11])
    expect(store.lines(id, 12, 5)).toEqual([])
    expect(store.source(id)).toMatchObject({ lines: 11, bytesRead: 1_100, name: 'app.log' })
  })

  it('shows a growing tail block as it fills', () => {
    const store = track(CaseStore.create(newCasePath()))
    const id = store.addSource({ path: 'a.log', size: 0, startedAt: 0 })
    const writer = store.writer(id, { blockLines: 8 })
    writer.append(line(1), 100)
    writer.commit(100)
    expect(store.lines(id, 1, 10).map((l) => l.lineNo)).toEqual([1])
    writer.append(line(2), 200)
    writer.append(line(3), 300)
    writer.commit(300)
    expect(store.lines(id, 1, 10).map((l) => l.lineNo)).toEqual([1, 2, 3])
  })

  it('keeps committed lines and resumes numbering after reopening', () => {
    const path = newCasePath()
    const first = CaseStore.create(path)
    const id = first.addSource({ path: 'a.log', size: 0, startedAt: 0 })
    const writer = first.writer(id, { blockLines: 4 })
    for (let n = 1; n <= 6; n++) writer.append(line(n), n * 100)
    writer.commit(600)
    writer.append(line(7), 700) // never committed: as if the process died here
    first.close()

    const again = track(CaseStore.open(path))
    expect(again.source(id)).toMatchObject({ lines: 6, bytesRead: 600 })
    const resumed = again.writer(id, { blockLines: 4 })
    expect(resumed.nextLine).toBe(7)
    for (let n = 7; n <= 9; n++) resumed.append(line(n), n * 100)
    resumed.commit(900)
    expect(again.lines(id, 1, 20).map((l) => l.text)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => line(n).text))
  })

  it('finds the next and previous anomaly from a position', () => {
    const store = track(CaseStore.create(newCasePath()))
    const id = store.addSource({ path: 'a.log', size: 0, startedAt: 0 })
    store.putAnomalies(id, [
      { lineNo: 10, score: 0.9, template: 1, reasons: ['template never seen in baseline'] },
      { lineNo: 40, score: 0.7, template: 2, reasons: ['level escalation'] }
    ])
    expect(store.nextAnomaly(id, 0, 'next')).toBe(10)
    expect(store.nextAnomaly(id, 10, 'next')).toBe(40)
    expect(store.nextAnomaly(id, 40, 'next')).toBeNull()
    expect(store.nextAnomaly(id, 40, 'previous')).toBe(10)
    expect(store.anomaly(id, 40)?.reasons).toEqual(['level escalation'])
    expect(store.anomalyCount(id)).toBe(2)
  })

  it('refuses a case from a newer Faultline, a foreign database and a non-database, untouched', () => {
    const path = newCasePath()
    CaseStore.create(path).close()
    const raw = new Database(path)
    raw.prepare(`UPDATE meta SET value = '42' WHERE key = 'schema_version'`).run()
    raw.pragma('journal_mode = DELETE')
    raw.close()
    const before = readFileSync(path)
    expect(() => CaseStore.open(path)).toThrow(/newer Faultline/)
    expect(readFileSync(path).equals(before)).toBe(true)

    const appDb = join(mkdtempSync(join(tmpdir(), 'faultline-case-')), 'other.db')
    const other = new Database(appDb)
    other.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO meta VALUES ('app', 'faultline-app')`)
    other.close()
    expect(() => CaseStore.open(appDb)).toThrow(/not a faultline-case file/)

    const junk = newCasePath()
    writeFileSync(junk, Buffer.alloc(8192, 7))
    expect(() => CaseStore.open(junk)).toThrow(/Cannot open/)
    expect(() => CaseStore.open(join(tmpdir(), 'no-such-case.faultline'))).toThrow(/No case file/)
  })

  it('upgrades a case written by the first schema, keeping its sources', () => {
    const path = newCasePath()
    const v1 = openVersioned(path, { ...caseSchema, migrations: caseSchema.migrations.slice(0, 1) })
    v1.prepare(`INSERT INTO sources (path, name, size, state) VALUES ('a.log', 'a.log', 10, 'complete')`).run()
    v1.close()
    const store = track(CaseStore.open(path))
    expect(store.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get()).toBe(String(caseSchema.migrations.length))
    expect(store.source(1)).toMatchObject({ path: 'a.log', state: 'complete', formatSpec: null })
    store.updateSource(1, { formatSpec: '{"kind":"none"}' })
    expect(store.source(1)?.formatSpec).toBe('{"kind":"none"}')
  })

  it('makes new cases with 16 KB pages, and moves the scores of an older case to their new table', () => {
    expect(track(CaseStore.create(newCasePath())).db.pragma('page_size', { simple: true })).toBe(16_384)
    const path = newCasePath()
    // The schema before the scores' migration (the one before the reasons' lists).
    const before = openVersioned(path, { ...caseSchema, pageSize: undefined, migrations: caseSchema.migrations.slice(0, -2) })
    before.prepare(`INSERT INTO sources (path, name, size, state) VALUES ('a.log', 'a.log', 10, 'complete')`).run()
    before.prepare(`INSERT INTO block_scores (source_id, block_no, scores) VALUES (1, 0, ?), (1, 1, ?)`).run(Buffer.alloc(4096, 1), Buffer.alloc(8, 2))
    before.close()
    const store = track(CaseStore.open(path))
    // A case keeps the page size it was made with.
    expect(store.db.pragma('page_size', { simple: true })).toBe(4096)
    const scores = () => store.db.prepare(`SELECT block_no, length(scores) AS n, hex(substr(scores, 1, 1)) AS b FROM block_scores ORDER BY block_no`).all()
    expect(scores()).toEqual([{ block_no: 0, n: 4096, b: '01' }, { block_no: 1, n: 8, b: '02' }])
    // Still one row a block: a re-score replaces it.
    store.db.prepare(`INSERT INTO block_scores (source_id, block_no, scores) VALUES (1, 1, ?) ON CONFLICT (source_id, block_no) DO UPDATE SET scores = excluded.scores`).run(Buffer.alloc(4, 3))
    expect(scores()).toEqual([{ block_no: 0, n: 4096, b: '01' }, { block_no: 1, n: 4, b: '03' }])
  })

  it('stores each distinct list of reasons once, and keeps an older case’s flagged lines and sessions with theirs', () => {
    const path = newCasePath()
    const before = openVersioned(path, { ...caseSchema, migrations: caseSchema.migrations.slice(0, -1) })
    before.prepare(`INSERT INTO sources (path, name, size, state) VALUES ('a.log', 'a.log', 10, 'complete')`).run()
    const flag = before.prepare(`INSERT INTO anomalies (source_id, line_no, score, template_id, reasons) VALUES (1, ?, ?, 3, ?)`)
    flag.run(4, 0.9, '["never seen"]')
    flag.run(7, 0.8, '["never seen"]')
    flag.run(9, 0.7, '["rare","at ERROR"]')
    const session = before.prepare(
      `INSERT INTO sessions (source_id, id, kind, key, first_line, last_line, lines, score, anomaly, reasons) VALUES (1, ?, 'session', ?, 1, 9, 3, ?, ?, ?)`
    )
    session.run(0, 'req-1', 0.9, 1, '["ends without done"]')
    session.run(1, 'req-2', 0.2, 0, null)
    before.close()
    const store = track(CaseStore.open(path))
    expect(store.anomaly(1, 4)).toEqual({ lineNo: 4, score: 0.9, template: 3, reasons: ['never seen'] })
    expect(store.anomaly(1, 9)?.reasons).toEqual(['rare', 'at ERROR'])
    expect(listSessions(store.db, 1).map((s) => [s.key, s.reasons])).toEqual([['req-1', ['ends without done']], ['req-2', []]])
    // New ones share the lists already there.
    store.putAnomalies(1, [{ lineNo: 12, score: 0.95, template: 1, reasons: ['never seen'] }, { lineNo: 13, score: 0.6, template: 1, reasons: ['new'] }])
    expect(store.anomaly(1, 12)?.reasons).toEqual(['never seen'])
    expect(store.db.prepare(`SELECT reasons FROM reason_lists ORDER BY id`).pluck().all()).toEqual(['["never seen"]', '["rare","at ERROR"]', '["ends without done"]', '["new"]'])
  })

  it('keeps the in-memory index in step as blocks arrive', () => {
    const store = track(CaseStore.create(newCasePath()))
    const id = store.addSource({ path: 'a.log', size: 0, startedAt: 0 })
    const writer = store.writer(id, { blockLines: 4 })
    for (let n = 1; n <= 5; n++) writer.append(line(n, { score: n / 10 }), n)
    writer.commit(5)
    expect(store.index(id).length).toBe(5)
    for (let n = 6; n <= 10; n++) writer.append(line(n, { score: n / 10 }), n)
    writer.commit(10)
    const index = store.index(id)
    expect(index.length).toBe(10)
    expect(Array.from(index.scores.subarray(0, 10), (s) => Math.round(s * 10))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})

describe('case store score levels', () => {
  it('answer score filters as reading every score does, as blocks grow and after new scores', () => {
    const score = fc.constantFrom(0, 0.2, 0.5, 0.5001, 0.95, 1)
    fc.assert(
      fc.property(fc.array(fc.array(score, { minLength: 1, maxLength: 9 }), { minLength: 1, maxLength: 8 }), fc.constantFrom(0, 0.5, 0.5001, 0.9), (commits, min) => {
        const store = track(CaseStore.create(newCasePath()))
        const id = store.addSource({ path: 'a.log', size: 0, startedAt: 0 })
        const writer = store.writer(id, { blockLines: 4 })
        const expected = (): number[] => {
          const { scores, length } = store.index(id)
          return Array.from({ length }, (_, i) => i + 1).filter((n) => (scores[n - 1] as number) >= min)
        }
        let n = 0
        for (const scores of commits) {
          for (const s of scores) writer.append(line(++n, { score: s }), n)
          writer.commit(n)
          expect([...filterLines({ minScore: min }, store.filterContext(id))]).toEqual(expected())
        }
        // New scores for every block, as a re-score on another connection writes them.
        const rows = store.db.prepare('SELECT block_no, line_count FROM blocks WHERE source_id = ?').all(id) as { block_no: number; line_count: number }[]
        for (const row of rows) {
          const scores = Float32Array.from({ length: row.line_count }, (_, i) => ((row.block_no + i) % 3) / 2)
          store.db.prepare('INSERT OR REPLACE INTO block_scores (source_id, block_no, scores) VALUES (?, ?, ?)').run(id, row.block_no, Buffer.from(scores.buffer))
        }
        store.scoresChanged(id)
        expect([...filterLines({ minScore: min, context: 1 }, store.filterContext(id))]).toEqual(
          [...widenToRuns(Int32Array.from(expected()), 1, store.index(id).length)]
        )
      }),
      { numRuns: 60 }
    )
  })
})

describe('case store time range', () => {
  it('comes from the blocks, ignoring lines without a timestamp', () => {
    const store = track(CaseStore.create(newCasePath()))
    const id = store.addSource({ path: 'a.log', size: 0, startedAt: 0 })
    expect(store.timeRange(id)).toBeNull()
    const writer = store.writer(id, { blockLines: 4 })
    for (let n = 1; n <= 9; n++) writer.append(line(n, n === 9 ? { ts: Number.NaN } : {}), n)
    writer.commit(9)
    expect(store.timeRange(id)).toEqual({ min: 1_000, max: 8_000 })
    expect(store.timeRange(id)).toEqual(timeRange(store.index(id)))
  })
})
