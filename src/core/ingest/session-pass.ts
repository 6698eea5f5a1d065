/**
 * Scores a source's sessions once all its lines are in: from the stored columns alone (template,
 * session, time and flags per line), so that a resumed ingest, whose earlier lines were never seen
 * by this run, gets exactly what one uninterrupted run would have; or, for an ingest that read the
 * whole source, from the same facts kept as it went (session-log.ts). With a model, sessions
 * are judged against its baseline sessions (`model.sessionScorer`); without one, against the
 * file's own sessions (`buildKindStats`, self-trained, as `scanFile` does). A source with no
 * session key gets time windows scored against the model's or its own template rates.
 */
import { decodeColumns, decodeScores, lineFlag } from '../case/block-codec.ts'
import { storeSessionScores } from '../case/session-store.ts'
import { sourceTimeRange } from '../case/source-time-range.ts'
import type { SessionRow, SessionSummary } from '../case/session-store.ts'
import { sessionIdsOf, sessionSummary } from '../case/session-store.ts'
import type { Db } from '../store/sqlite.ts'
import { defaultModelSettings } from '../model/model.ts'
import type { Model } from '../model/model.ts'
import { SessionScorer } from '../model/sessions/session-scorer.ts'
import type { SessionScore } from '../model/sessions/session-scorer.ts'
import { buildKindStats } from '../model/sessions/session-stats.ts'
import { maxSequence, newSession, observeSession } from '../model/sessions/session-tracker.ts'
import type { Session } from '../model/sessions/session-tracker.ts'
import type { SessionGroups, SessionLog } from './session-log.ts'
import { modelRateReference, referenceWindowScores, windowSize, WindowTracker } from '../model/sessions/window-rates.ts'
import type { RateTemplate } from '../model/sessions/window-rates.ts'

export interface SessionPassOptions {
  /** The model the ingest scored with; undefined: self-trained. */
  readonly model?: Model | undefined
  /** Whether the source has a session key (else: time windows). */
  readonly keyed: boolean
  /** Session id → key as the ingest holds them (default: read from the case). */
  readonly sessionKeys?: SessionKeys | undefined
  /** Raw template id → the template it now belongs to. */
  readonly resolve: (id: number) => number
  /** Canonical template id → text, for reasons. */
  readonly templateText: (id: number) => string
  /**
   * The sessions' lines as the caller kept them while it read the whole source (an ingest, see
   * session-log.ts): no block is read back. Else they are read from the columns.
   */
  readonly log?: SessionLog | undefined
  /** Line scores to judge by instead of the stored ones (a re-score about to store them), by block first line. */
  readonly scores?: ((firstLine: number) => Float32Array | undefined) | undefined
}

/** The source's session keys by id (ids 0 … size - 1). */
export interface SessionKeys {
  readonly size: number
  key(id: number): string
}

interface ColumnRow {
  block_no: number
  first_line: number
  line_count: number
  columns: Buffer
  scores: Buffer | null
}

/** The score from which a line counts as flagged in its session: the model's, else the default. */
export function lineThresholdOf(model: Model | undefined): number {
  return model?.settings.lineThreshold ?? defaultModelSettings.lineThreshold
}

/** Scores and stores the source's sessions (or windows); returns what was stored. */
export function scoreSourceSessions(db: Db, sourceId: number, options: SessionPassOptions): SessionSummary {
  return new SessionPass(db, sourceId, options).store()
}

/** The source's sessions (or windows) scored, without storing them (sessions scoring 0 left out). */
export function sourceSessionScores(db: Db, sourceId: number, options: SessionPassOptions): SessionRow[] {
  return new SessionPass(db, sourceId, options).rows()
}

/**
 * A source's sessions (or windows) scored: from the lines an ingest kept as it read the whole
 * source (`log`), else from one pass over its committed columns. `rows` can be taken before the
 * last blocks are committed (with a log), and stored after.
 */
export class SessionPass {
  readonly #db: Db
  readonly #sourceId: number
  readonly #options: SessionPassOptions
  readonly #keys: SessionKeys
  /** The sessions' lines: the caller's log, or `#read` filled from the columns. */
  readonly #events: SessionGroups
  readonly #read: SessionEvents | null
  readonly #lineThreshold: number
  /** Raw template id → the template it now belongs to, looked up once per id rather than per line. */
  readonly #roots: number[] = []
  #lastTs = Number.NEGATIVE_INFINITY
  /** Windows (a source without a session key): every block is read at the end, once its time span is known. */
  #windows: { tracker: WindowTracker; ms: number; span: number; own: Map<number, { count: number; first: number; last: number }> } | null = null

  constructor(db: Db, sourceId: number, options: SessionPassOptions) {
    this.#db = db
    this.#sourceId = sourceId
    this.#options = options
    this.#lineThreshold = lineThresholdOf(options.model)
    this.#keys = options.keyed ? (options.sessionKeys ?? storedKeys(db, sourceId)) : { size: 0, key: () => '' }
    // Head lines carrying a session, as columns grouped by session: a session is built only when
    // it is scored (an object per session for millions of them would cost a gigabyte).
    const size = this.#keys.size
    this.#read = options.log ? null : new SessionEvents(!options.keyed ? new Int32Array(1) : countSessionEvents(db, sourceId, size))
    this.#events = options.log ?? (this.#read as SessionEvents)
  }

  /**
   * Reads the source's columns into `#read` (sessions) or the windows: not needed with the
   * caller's log. A source without a session key is read once its windows are sized (see `rows`).
   */
  #scan(): void {
    const read = this.#read
    if (!this.#options.keyed ? this.#windows === null : read === null) return
    const { resolve, keyed, scores: override } = this.#options
    const roots = this.#roots
    const root = (id: number): number => roots[id] ?? (roots[id] = resolve(id))
    const keys = this.#keys.size
    const threshold = this.#lineThreshold
    const rows = this.#db
      .prepare(
        `SELECT b.block_no, b.first_line, b.line_count, b.columns, s.scores FROM blocks b
         LEFT JOIN block_scores s ON s.source_id = b.source_id AND s.block_no = b.block_no
         WHERE b.source_id = ? ORDER BY b.block_no`
      )
      .iterate(this.#sourceId) as IterableIterator<ColumnRow>
    for (const row of rows) {
      const c = decodeColumns(row.columns, row.line_count)
      const scores = override?.(row.first_line) ?? (row.scores ? decodeScores(row.scores) : null)
      for (let i = 0; i < row.line_count; i++) {
        // A record counts once, by its head line (continuation lines share its columns).
        if (((c.flags[i] as number) & lineFlag.continuation) !== 0) continue
        const lineNo = row.first_line + i
        const template = root(c.templates[i] as number)
        const t = c.ts[i] as number
        const ts = t === t ? t : null
        if (ts !== null && ts > this.#lastTs) this.#lastTs = ts
        if (keyed) {
          const id = c.sessions[i] as number
          if (id >= 0 && id < keys) read?.put(id, template, lineNo, t, (scores?.[i] ?? 0) >= threshold)
        } else if (ts !== null && this.#windows !== null) {
          const { tracker, own } = this.#windows
          tracker.add(template, ts, lineNo)
          const seen = own.get(template)
          if (seen) {
            seen.count++
            if (ts < seen.first) seen.first = ts
            if (ts > seen.last) seen.last = ts
          } else own.set(template, { count: 1, first: ts, last: ts })
        }
      }
    }
  }

  /** Reads what is left and scores the sessions (or windows); sessions scoring 0 are left out. */
  rows(): SessionRow[] {
    const { model, keyed } = this.#options
    if (!keyed) {
      // Windows: sized from the model's time span, or the file's own (the blocks know theirs).
      const timeSpan = sourceTimeRange(this.#db, this.#sourceId)
      const span = model ? model.time.max - model.time.min : timeSpan ? timeSpan.max - timeSpan.min : 0
      const ms = windowSize(span)
      this.#windows = { tracker: new WindowTracker(ms), ms, span, own: new Map() }
    }
    this.#scan()
    const stored: SessionRow[] = []
    const keys = this.#keys
    if (keyed) {
      const sessions = (): Generator<[number, Session]> => this.#events.sessions(keys.size)
      const scorer = model
        ? model.sessionScorer(this.#options.templateText)
        : new SessionScorer(buildKindStats(only(sessions())), {
            mode: 'self',
            threshold: defaultModelSettings.sessionThreshold,
            templateText: this.#options.templateText,
            knownTemplate: () => true
          })
      const endTs = this.#options.log ? this.#options.log.newest : this.#lastTs === Number.NEGATIVE_INFINITY ? null : this.#lastTs
      this.#events.judge(keys.size, scorer, endTs, (id, score, firstTs, lastTs) => stored.push(sessionRow(id, 'session', keys.key(id), score, firstTs, lastTs)))
    } else if (this.#windows !== null && this.#windows.tracker.windows.size > 0) {
      const { tracker: windows, ms: windowMs, span, own } = this.#windows
      const reference = model
        ? modelRateReference(model)
        : {
            mode: 'self' as const,
            span,
            threshold: defaultModelSettings.sessionThreshold,
            templates: [...own].map(([id, t]): RateTemplate => ({ id, count: t.count, spread: t.last - t.first }))
          }
      const scores = referenceWindowScores(windows, windowMs, reference, this.#options.templateText)
      // Scored in order of their start, as `scoreWindows` lists them.
      const starts = [...windows.windows.keys()].sort((a, b) => a - b)
      scores.forEach((score, i) => {
        const start = starts[i] as number
        stored.push(sessionRow(i, 'window', score.id, score, start, start + windowMs))
      })
    }
    return stored
  }

  /** `rows` (or those given, `rows` taken earlier), stored; returns what was stored. */
  store(rows: SessionRow[] = this.rows()): SessionSummary {
    storeSessionScores(this.#db, this.#sourceId, rows)
    return sessionSummary(this.#db, this.#sourceId)
  }
}

function* only(sessions: Iterable<[number, Session]>): Generator<Session> {
  for (const [, session] of sessions) yield session
}

/** Per session: the number of its head lines (what `SessionEvents` sizes itself from). */
function countSessionEvents(db: Db, sourceId: number, sessions: number): Int32Array {
  const counts = new Int32Array(sessions)
  const rows = db.prepare(`SELECT line_count, columns FROM blocks WHERE source_id = ? ORDER BY first_line`).raw().iterate(sourceId) as IterableIterator<[number, Buffer]>
  for (const [count, columns] of rows) {
    const c = decodeColumns(columns, count)
    for (let i = 0; i < count; i++) {
      if (((c.flags[i] as number) & lineFlag.continuation) !== 0) continue
      const id = c.sessions[i] as number
      if (id >= 0 && id < sessions) counts[id] = (counts[id] as number) + 1
    }
  }
  return counts
}

function storedKeys(db: Db, sourceId: number): SessionKeys {
  const keys: string[] = []
  for (const [key, id] of sessionIdsOf(db, sourceId)) keys[id] = key
  return { size: keys.length, key: (id) => keys[id] as string }
}

/**
 * Per head line with a session: template, line number, time and flag, stored grouped by session
 * (a counting sort: a first pass over the columns counted each session's lines), so the arrays
 * have exactly one slot per event and need no order array beside them.
 */
class SessionEvents implements SessionGroups {
  /** Per session: where its events start (length sessions + 1). */
  readonly #starts: Int32Array
  /** Per session: where its next event goes. */
  readonly #next: Int32Array
  readonly #templates: Int32Array
  readonly #lines: Int32Array
  readonly #ts: Float64Array
  readonly #flagged: Uint8Array

  constructor(counts: Int32Array) {
    const sessions = counts.length
    this.#starts = new Int32Array(sessions + 1)
    for (let s = 0; s < sessions; s++) this.#starts[s + 1] = (this.#starts[s] as number) + (counts[s] as number)
    // The counts become the write cursors.
    this.#next = counts
    this.#next.set(this.#starts.subarray(0, sessions))
    const n = this.#starts[sessions] as number
    this.#templates = new Int32Array(n)
    this.#lines = new Int32Array(n)
    this.#ts = new Float64Array(n)
    this.#flagged = new Uint8Array(n)
  }

  /** Events must come in line order, as they did when counted. */
  put(id: number, template: number, line: number, ts: number, flagged: boolean): void {
    const i = this.#next[id] as number
    if (i >= (this.#starts[id + 1] as number)) throw new Error(`session ${id} has more lines than counted; the case changed during the pass`)
    this.#next[id] = i + 1
    this.#templates[i] = template
    this.#lines[i] = line
    this.#ts[i] = ts
    this.#flagged[i] = flagged ? 1 : 0
  }

  /** The sessions in id order (first appearance, as `SessionTracker` holds them), built one at a time. */
  *sessions(count: number): Generator<[number, Session]> {
    for (let s = 0; s < count; s++) if ((this.#next[s] as number) > (this.#starts[s] as number)) yield [s, this.#build(s)]
  }

  /**
   * Scores every session as `scorer.score` would, in id order, building a session only when
   * the scorer has not judged its shape yet (see `SessionScorer.judge`). Sessions with nothing
   * to say (score 0) keep no row (see session-store.ts): only the others reach `keep`.
   */
  judge(count: number, scorer: SessionScorer, endTs: number | null, keep: (id: number, score: SessionScore, firstTs: number | null, lastTs: number | null) => void): void {
    for (let s = 0; s < count; s++) {
      const start = this.#starts[s] as number
      const end = this.#next[s] as number
      if (end <= start) continue
      let firstTs: number | null = null
      let lastTs: number | null = null
      for (let i = start; i < end; i++) {
        const t = this.#ts[i] as number
        if (t !== t) continue
        firstTs ??= t
        lastTs = t
      }
      const { score, reasons } = scorer.judge(this.#templates, start, end, end - start <= maxSequence, lastTs, endTs, () => this.#build(s))
      if (score <= 0) continue
      // The verdict's reasons, shared by the sessions of its shape (read only, and stored as one JSON text).
      const row = { id: '', score, anomaly: scorer.isAnomaly(score), reasons, firstLine: this.#lines[start] as number, lastLine: this.#lines[end - 1] as number, lines: end - start }
      keep(s, row, firstTs, lastTs)
    }
  }

  /** Session `s` from its lines in line order; its `id` is left empty (the key is read only for the few stored). */
  #build(s: number): Session {
    let session: Session | undefined
    const end = this.#next[s] as number
    for (let i = this.#starts[s] as number; i < end; i++) {
      const template = this.#templates[i] as number
      const line = this.#lines[i] as number
      const t = this.#ts[i] as number
      const ts = t === t ? t : null
      session ??= newSession('', template, line, ts)
      observeSession(session, template, line, ts, this.#flagged[i] === 1)
    }
    return session as Session
  }
}

function sessionRow(id: number, kind: 'session' | 'window', key: string, score: SessionScore, firstTs: number | null, lastTs: number | null): SessionRow {
  return {
    id,
    kind,
    key,
    firstLine: score.firstLine,
    lastLine: score.lastLine,
    lines: score.lines,
    firstTs,
    lastTs,
    score: score.score,
    anomaly: score.anomaly,
    reasons: score.reasons
  }
}
