/**
 * Sessions of a case's sources, over the case's db (`sessions`, `session_ids` and
 * `session_keys`, see case-schema.ts). A session's id is what its lines carry in their session
 * column: 0, 1, … per source in order of first appearance. The ingest registers the sessions
 * first seen in each commit (one `session_ids` row of keys, in the same transaction as the lines
 * carrying them, so a resume maps ids exactly as the first run did) and writes the scores once
 * every line is in (see ingest/session-pass.ts).
 *
 * Only sessions with something to say (score > 0, with reasons) get a `sessions` row: measured
 * here, a row costs ~3 µs, i.e. 0.6 s per million lines of a log with a request id on every
 * line, for rows that would only repeat "nothing unusual". Every session still has its key
 * (`sessionKey`) and its lines (the line filter's `sessions`). Logs without ids get time windows
 * instead (kind 'window', all stored, ids 0…n-1 in time order); their lines keep session -1 and a
 * window's lines are its time range (`firstTs` … `lastTs`).
 */
import type { Db } from '../store/sqlite.ts'
import { parseReasons, reasonListIds } from './reason-lists.ts'

export type SessionKind = 'session' | 'window'

/** The pattern that tied a source's lines into sessions (a RegExp's source and flags). */
export interface StoredSessionKey {
  readonly name: string
  readonly source: string
  readonly flags: string
}

export interface SessionRow {
  readonly id: number
  readonly kind: SessionKind
  /** The session id as written in the log, or `window <ISO start>`. */
  readonly key: string
  readonly firstLine: number
  readonly lastLine: number
  /** Records of the session (a window: its lines). */
  readonly lines: number
  readonly firstTs: number | null
  readonly lastTs: number | null
  /** Null until scored (an ingest still running, or cancelled). */
  readonly score: number | null
  readonly anomaly: boolean
  readonly reasons: readonly string[]
}

/** A session seen for the first time at `line`. */
export interface NewSession {
  readonly id: number
  readonly key: string
  readonly line: number
}

/** The key a source's ingest settled on: undefined when not decided yet, null for none. */
export function sessionKeyOf(db: Db, sourceId: number): StoredSessionKey | null | undefined {
  const row = db.prepare(`SELECT name, pattern, flags FROM session_keys WHERE source_id = ?`).get(sourceId) as
    | { name: string | null; pattern: string | null; flags: string | null }
    | undefined
  if (!row) return undefined
  return row.pattern === null ? null : { name: row.name ?? row.pattern, source: row.pattern, flags: row.flags ?? 'g' }
}

export function putSessionKey(db: Db, sourceId: number, key: StoredSessionKey | null): void {
  db.prepare(`INSERT OR REPLACE INTO session_keys (source_id, name, pattern, flags) VALUES (?, ?, ?, ?)`).run(sourceId, key?.name ?? null, key?.source ?? null, key?.flags ?? null)
}

/**
 * Registers sessions first seen, with consecutive ids (call inside the transaction that commits
 * their first lines). Keys hold no newline: they come from one line.
 */
export function registerSessions(db: Db, sourceId: number, rows: readonly NewSession[]): void {
  const first = rows[0]
  if (first !== undefined) registerSessionKeys(db, sourceId, first.id, rows.map((r) => r.key).join('\n'))
}

/** `registerSessions` of ids `first`, `first + 1`, … whose keys are `keys` joined by '\n', as they are stored. */
export function registerSessionKeys(db: Db, sourceId: number, first: number, keys: string): void {
  db.prepare(`INSERT OR REPLACE INTO session_ids (source_id, first_id, keys) VALUES (?, ?, ?)`).run(sourceId, first, keys)
}

/** Session key → id for a source's registered sessions (a resume goes on numbering from these). */
export function sessionIdsOf(db: Db, sourceId: number): Map<string, number> {
  const ids = new Map<string, number>()
  const rows = db.prepare(`SELECT first_id, keys FROM session_ids WHERE source_id = ? ORDER BY first_id`).raw().iterate(sourceId) as IterableIterator<[number, string]>
  for (const [first, keys] of rows) keys.split('\n').forEach((key, i) => ids.set(key, first + i))
  return ids
}

/** The id written in the log for session `id` (undefined: no such session). */
export function sessionKey(db: Db, sourceId: number, id: number): string | undefined {
  const row = db.prepare(`SELECT first_id, keys FROM session_ids WHERE source_id = ? AND first_id <= ? ORDER BY first_id DESC LIMIT 1`).raw().get(sourceId, id) as
    | [number, string]
    | undefined
  return row ? row[1].split('\n')[id - row[0]] : undefined
}

/** Sessions registered for a source. */
export function sessionCount(db: Db, sourceId: number): number {
  const row = db.prepare(`SELECT first_id, keys FROM session_ids WHERE source_id = ? ORDER BY first_id DESC LIMIT 1`).raw().get(sourceId) as [number, string] | undefined
  return row ? row[0] + row[1].split('\n').length : 0
}

/**
 * Stores a source's scored sessions or windows, replacing what an earlier run stored (a resumed
 * ingest scores again). The caller leaves out sessions scoring 0.
 */
export function storeSessionScores(db: Db, sourceId: number, rows: Iterable<SessionRow>): number {
  const insert = db.prepare(
    `INSERT INTO sessions (source_id, id, kind, key, first_line, last_line, lines, first_ts, last_ts, score, anomaly, reasons_id)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
  )
  let stored = 0
  db.transaction(() => {
    // Sessions of one shape share their reasons (see SessionScorer.judge): one list id each.
    const listId = reasonListIds(db)
    const ids = new Map<readonly string[], number>()
    const idOf = (reasons: readonly string[]): number => {
      let id = ids.get(reasons)
      if (id === undefined) ids.set(reasons, (id = listId(JSON.stringify(reasons))))
      return id
    }
    db.prepare(`DELETE FROM sessions WHERE source_id = ?`).run(sourceId)
    for (const r of rows) {
      const reasons = r.reasons.length > 0 ? idOf(r.reasons) : null
      insert.run(sourceId, r.id, r.kind, r.key, r.firstLine, r.lastLine, r.lines, r.firstTs, r.lastTs, r.score, r.anomaly ? 1 : 0, reasons)
      stored++
    }
  })()
  return stored
}

export interface SessionQuery {
  /** Highest score first (default), or by first line. */
  readonly order?: 'score' | 'line' | undefined
  /** Only flagged sessions. */
  readonly anomalies?: boolean | undefined
  readonly limit?: number | undefined
  readonly offset?: number | undefined
}

interface Row {
  id: number
  kind: SessionKind
  key: string
  first_line: number
  last_line: number
  lines: number
  first_ts: number | null
  last_ts: number | null
  score: number | null
  anomaly: number
  reasons: string | null
}

/** A source's sessions (or windows): top-N by score, or a page in line order. */
export function listSessions(db: Db, sourceId: number, query: SessionQuery = {}): SessionRow[] {
  const order = query.order === 'line' ? `s.first_line, s.id` : `s.score DESC, s.id`
  const rows = db
    .prepare(
      `SELECT ${sessionColumns} FROM sessions s LEFT JOIN reason_lists r ON r.id = s.reasons_id
       WHERE s.source_id = ? ${query.anomalies === true ? 'AND s.anomaly = 1' : ''} ORDER BY ${order} LIMIT ? OFFSET ?`
    )
    .all(sourceId, query.limit ?? -1, query.offset ?? 0) as Row[]
  return rows.map(toSession)
}

/** A stored (scored) session or window by id; a session scoring 0 has no row (see `sessionKey`). */
export function sessionById(db: Db, sourceId: number, id: number): SessionRow | undefined {
  const row = db
    .prepare(`SELECT ${sessionColumns} FROM sessions s LEFT JOIN reason_lists r ON r.id = s.reasons_id WHERE s.source_id = ? AND s.id = ?`)
    .get(sourceId, id) as Row | undefined
  return row && toSession(row)
}

export interface SessionSummary {
  /** Sessions by id, time windows (no session key), or null (neither: no key and no timestamps). */
  readonly kind: SessionKind | null
  /** The session key's name, when there is one. */
  readonly key: string | null
  /** Sessions (or windows) in the source. */
  readonly count: number
  /** Rows stored: sessions scoring above 0, or all windows. */
  readonly scored: number
  readonly flagged: number
}

export function sessionSummary(db: Db, sourceId: number): SessionSummary {
  const rows = db
    .prepare(`SELECT count(*) AS scored, coalesce(sum(anomaly), 0) AS flagged, max(kind) AS kind FROM sessions WHERE source_id = ?`)
    .get(sourceId) as { scored: number; flagged: number; kind: SessionKind | null }
  const key = sessionKeyOf(db, sourceId)
  if (key) return { kind: 'session', key: key.name, count: sessionCount(db, sourceId), scored: rows.scored, flagged: rows.flagged }
  return { kind: rows.scored > 0 ? 'window' : null, key: null, count: rows.scored, scored: rows.scored, flagged: rows.flagged }
}

/** A stored session's columns, its reasons' list joined in as `reasons`. */
const sessionColumns = `s.id, s.kind, s.key, s.first_line, s.last_line, s.lines, s.first_ts, s.last_ts, s.score, s.anomaly, r.reasons`

function toSession(row: Row): SessionRow {
  return {
    id: row.id,
    kind: row.kind,
    key: row.key,
    firstLine: row.first_line,
    lastLine: row.last_line,
    lines: row.lines,
    firstTs: row.first_ts,
    lastTs: row.last_ts,
    score: row.score,
    anomaly: row.anomaly === 1,
    reasons: parseReasons(row.reasons)
  }
}
