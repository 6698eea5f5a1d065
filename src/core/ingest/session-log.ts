/**
 * A whole run's sessions, kept as its records go by: per head line with a session, its template
 * and the next such line of the same session (one chain per session); per session, its first and
 * last event, line and time. The session pass judges the sessions from it once the last line is
 * in, instead of reading every stored block back and sorting 8M head lines by session there,
 * which took 2.4 s at 10M lines on one thread after everything else (mostly page faults of the
 * 140 MB it filled at once, and the read). The chains cost the pipeline a few array writes a
 * record, while it runs; walking them at the end touches each session's lines close together,
 * as a session's lines are close together in the file.
 */
import { grownTo } from '../../shared/typed-array.ts'
import type { SessionScore, SessionScorer } from '../model/sessions/session-scorer.ts'
import { maxSequence, newSession, observeSession } from '../model/sessions/session-tracker.ts'
import type { Session } from '../model/sessions/session-tracker.ts'

/** Events are kept in chunks of this many: the arrays grow without copies or slack. */
const chunkBits = 18
const chunkSize = 1 << chunkBits
const chunkMask = chunkSize - 1
/** Sessions' ends are kept in chunks of this many sessions, for the same reason. */
const sessionChunkBits = 16
const sessionChunkMask = (1 << sessionChunkBits) - 1
/** The template column's top bit: the line was flagged on its own. */
const flaggedBit = 0x80000000

/** What the session pass needs of a source's sessions (see session-pass.ts). */
export interface SessionGroups {
  /** Sessions `0 … count - 1` that have lines, in id order, built one at a time. */
  sessions(count: number): Generator<[number, Session]>
  /**
   * Scores every session as `scorer.score` would, in id order (see `SessionScorer.judge`); only
   * sessions scoring above 0 reach `keep`.
   */
  judge(count: number, scorer: SessionScorer, endTs: number | null, keep: (id: number, score: SessionScore, firstTs: number | null, lastTs: number | null) => void): void
}

export class SessionLog implements SessionGroups {
  /** Per event: its raw template id (with `flaggedBit`), and the next event of its session (-1: none). */
  readonly #templates: Int32Array[] = []
  readonly #next: Int32Array[] = []
  #events = 0
  /**
   * Per session id, side by side (one cache line for a line's updates, not six): first event + 1
   * (0: none yet), last event, first line, last line; and first and last time (NaN: none yet).
   */
  readonly #ends: Int32Array[] = []
  readonly #times: Float64Array[] = []
  #sessions = 0
  #newest = Number.NEGATIVE_INFINITY
  /** Raw template id → the one it belongs to now, asked once per id (see `judge`). */
  readonly #resolve: (id: number) => number
  readonly #roots: number[] = []
  /** One session's templates, resolved, while it is judged. */
  #scratch: Int32Array = new Int32Array(1024)

  /** Lines scoring this much or more count as flagged (see `SessionPass`). */
  readonly #lineThreshold: number

  /** `resolve`: raw template id → the template it belongs to once the run is over. */
  constructor(resolve: (id: number) => number, lineThreshold: number) {
    this.#resolve = resolve
    this.#lineThreshold = lineThreshold
  }

  /** The newest time of any head line (a session's or not): where a session may still be running. */
  get newest(): number | null {
    return this.#newest === Number.NEGATIVE_INFINITY ? null : this.#newest
  }

  /** A head line with no session: only its time counts. */
  see(ts: number): void {
    if (ts > this.#newest) this.#newest = ts
  }

  /**
   * A head line of session `session` (ids are given out in order: 0, 1, 2, …); `ts` is NaN
   * without a time. Its score is compared as stored (a float32), as a pass over the columns does.
   */
  add(session: number, template: number, line: number, ts: number, score: number): void {
    const flagged = Math.fround(score) >= this.#lineThreshold
    if (ts > this.#newest) this.#newest = ts
    const e = this.#events++
    const off = e & chunkMask
    if (off === 0) {
      this.#templates.push(new Int32Array(chunkSize))
      this.#next.push(new Int32Array(chunkSize))
    }
    const chunk = e >>> chunkBits
    ;(this.#templates[chunk] as Int32Array)[off] = flagged ? template | flaggedBit : template
    ;(this.#next[chunk] as Int32Array)[off] = -1
    if (session >= this.#sessions) this.#open(session)
    const ends = this.#ends[session >>> sessionChunkBits] as Int32Array
    const at = 4 * (session & sessionChunkMask)
    const head = ends[at] as number
    if (head === 0) {
      ends[at] = e + 1
      ends[at + 2] = line
    } else {
      const tail = ends[at + 1] as number
      ;(this.#next[tail >>> chunkBits] as Int32Array)[tail & chunkMask] = e
    }
    ends[at + 1] = e
    ends[at + 3] = line
    if (ts === ts) {
      const times = this.#times[session >>> sessionChunkBits] as Float64Array
      const t = 2 * (session & sessionChunkMask)
      if (times[t] !== times[t]) times[t] = ts
      times[t + 1] = ts
    }
  }

  *sessions(count: number): Generator<[number, Session]> {
    for (let s = 0; s < Math.min(count, this.#sessions); s++) if (this.#end(s, 0) !== 0) yield [s, this.#build(s)]
  }

  judge(count: number, scorer: SessionScorer, endTs: number | null, keep: (id: number, score: SessionScore, firstTs: number | null, lastTs: number | null) => void): void {
    // Runs once per ingest, mostly before V8 has optimised it: few calls, and no closure, per session.
    let s = 0
    const build = (): Session => this.#build(s)
    for (const n = Math.min(count, this.#sessions); s < n; s++) {
      const ends = this.#ends[s >>> sessionChunkBits] as Int32Array
      const head = ends[4 * (s & sessionChunkMask)] as number
      if (head === 0) continue
      const lines = this.#gather(head - 1)
      const t = (this.#times[s >>> sessionChunkBits] as Float64Array)[2 * (s & sessionChunkMask) + 1] as number
      const lastTs = t === t ? t : null
      const { score, reasons } = scorer.judge(this.#scratch, 0, lines, lines <= maxSequence, lastTs, endTs, build)
      if (score <= 0) continue
      // The verdict's reasons, shared by the sessions of its shape (read only, and stored as one JSON text).
      const row = { id: '', score, anomaly: scorer.isAnomaly(score), reasons, firstLine: this.#end(s, 2), lastLine: this.#end(s, 3), lines }
      const f = this.#time(s, 0)
      keep(s, row, f === f ? f : null, lastTs)
    }
  }

  /** The templates of the session whose first event is `first`, resolved, into the scratch array; returns how many. */
  #gather(first: number): number {
    let n = 0
    const roots = this.#roots
    for (let e = first; e !== -1; e = (this.#next[e >>> chunkBits] as Int32Array)[e & chunkMask] as number) {
      if (n === this.#scratch.length) this.#scratch = grownTo(this.#scratch, n * 2)
      const id = ((this.#templates[e >>> chunkBits] as Int32Array)[e & chunkMask] as number) & ~flaggedBit
      this.#scratch[n++] = roots[id] ?? this.#root(id)
    }
    return n
  }

  #root(id: number): number {
    return this.#roots[id] ?? (this.#roots[id] = this.#resolve(id))
  }

  /** Session `s` from its lines in order; its `id` is left empty (the key is read only for the few stored). */
  #build(s: number): Session {
    let session: Session | undefined
    const line = this.#end(s, 2)
    for (let e = this.#end(s, 0) - 1; e !== -1; e = (this.#next[e >>> chunkBits] as Int32Array)[e & chunkMask] as number) {
      const raw = (this.#templates[e >>> chunkBits] as Int32Array)[e & chunkMask] as number
      const template = this.#root(raw & ~flaggedBit)
      // Lines and times of its ends only, set below: all a session is judged by.
      session ??= newSession('', template, line, null)
      observeSession(session, template, line, null, (raw & flaggedBit) !== 0)
    }
    const built = session as Session
    const first = this.#time(s, 0)
    const last = this.#time(s, 1)
    built.lastLine = this.#end(s, 3)
    built.firstTs = first === first ? first : null
    built.lastTs = last === last ? last : null
    return built
  }

  /** Field `k` of session `s`'s ends: 0 first event + 1, 1 last event, 2 first line, 3 last line. */
  #end(s: number, k: number): number {
    return (this.#ends[s >>> sessionChunkBits] as Int32Array)[4 * (s & sessionChunkMask) + k] as number
  }

  /** Session `s`'s first (`k` 0) or last (1) time, NaN for none. */
  #time(s: number, k: number): number {
    return (this.#times[s >>> sessionChunkBits] as Float64Array)[2 * (s & sessionChunkMask) + k] as number
  }

  /** Opens ids up to `session` (no lines yet). */
  #open(session: number): void {
    while (this.#ends.length <= session >>> sessionChunkBits) {
      this.#ends.push(new Int32Array(4 << sessionChunkBits))
      this.#times.push(new Float64Array(2 << sessionChunkBits).fill(Number.NaN))
    }
    this.#sessions = session + 1
  }
}
