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
  /** Per session id: first and last event, line and time (NaN: no time yet). */
  #head: Int32Array = new Int32Array(1024)
  #tail: Int32Array = new Int32Array(1024)
  #firstLine: Int32Array = new Int32Array(1024)
  #lastLine: Int32Array = new Int32Array(1024)
  #firstTs: Float64Array = new Float64Array(1024).fill(Number.NaN)
  #lastTs: Float64Array = new Float64Array(1024).fill(Number.NaN)
  #sessions = 0
  #newest = Number.NEGATIVE_INFINITY
  /** Raw template id → the one it belongs to now, asked once per id (see `judge`). */
  readonly #resolve: (id: number) => number
  #roots: Int32Array = new Int32Array(0)
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
    if (this.#head[session] === -1) {
      this.#head[session] = e
      this.#firstLine[session] = line
    } else {
      const tail = this.#tail[session] as number
      ;(this.#next[tail >>> chunkBits] as Int32Array)[tail & chunkMask] = e
    }
    this.#tail[session] = e
    this.#lastLine[session] = line
    if (ts === ts) {
      if (this.#firstTs[session] !== this.#firstTs[session]) this.#firstTs[session] = ts
      this.#lastTs[session] = ts
    }
  }

  *sessions(count: number): Generator<[number, Session]> {
    for (let s = 0; s < Math.min(count, this.#sessions); s++) if (this.#head[s] !== -1) yield [s, this.#build(s)]
  }

  judge(count: number, scorer: SessionScorer, endTs: number | null, keep: (id: number, score: SessionScore, firstTs: number | null, lastTs: number | null) => void): void {
    for (let s = 0; s < Math.min(count, this.#sessions); s++) {
      if (this.#head[s] === -1) continue
      const lines = this.#gather(s)
      const t = this.#lastTs[s] as number
      const lastTs = t === t ? t : null
      const { score, reasons } = scorer.judge(this.#scratch, 0, lines, lines <= maxSequence, lastTs, endTs, () => this.#build(s))
      if (score <= 0) continue
      // The verdict's reasons, shared by the sessions of its shape (read only, and stored as one JSON text).
      const row = { id: '', score, anomaly: scorer.isAnomaly(score), reasons, firstLine: this.#firstLine[s] as number, lastLine: this.#lastLine[s] as number, lines }
      const f = this.#firstTs[s] as number
      keep(s, row, f === f ? f : null, lastTs)
    }
  }

  /** Session `s`'s templates, resolved, into the scratch array; returns how many. */
  #gather(s: number): number {
    let n = 0
    for (let e = this.#head[s] as number; e !== -1; e = (this.#next[e >>> chunkBits] as Int32Array)[e & chunkMask] as number) {
      if (n === this.#scratch.length) this.#scratch = grownTo(this.#scratch, n * 2)
      this.#scratch[n++] = this.#root(((this.#templates[e >>> chunkBits] as Int32Array)[e & chunkMask] as number) & ~flaggedBit)
    }
    return n
  }

  #root(id: number): number {
    if (id >= this.#roots.length) this.#roots = this.#grownRoots(id)
    let root = this.#roots[id] as number
    if (root === -1) {
      root = this.#resolve(id)
      this.#roots[id] = root
    }
    return root
  }

  #grownRoots(id: number): Int32Array {
    const roots = new Int32Array(Math.max(id + 1, this.#roots.length * 2, 256)).fill(-1)
    roots.set(this.#roots)
    return roots
  }

  /** Session `s` from its lines in order; its `id` is left empty (the key is read only for the few stored). */
  #build(s: number): Session {
    let session: Session | undefined
    const line = this.#firstLine[s] as number
    for (let e = this.#head[s] as number; e !== -1; e = (this.#next[e >>> chunkBits] as Int32Array)[e & chunkMask] as number) {
      const raw = (this.#templates[e >>> chunkBits] as Int32Array)[e & chunkMask] as number
      const template = this.#root(raw & ~flaggedBit)
      // Lines and times of its ends only, set below: all a session is judged by.
      session ??= newSession('', template, line, null)
      observeSession(session, template, line, null, (raw & flaggedBit) !== 0)
    }
    const built = session as Session
    const first = this.#firstTs[s] as number
    const last = this.#lastTs[s] as number
    built.lastLine = this.#lastLine[s] as number
    built.firstTs = first === first ? first : null
    built.lastTs = last === last ? last : null
    return built
  }

  /** Opens ids up to `session` (no lines yet). */
  #open(session: number): void {
    if (session >= this.#head.length) {
      const size = Math.max(session + 1, this.#head.length * 2)
      this.#head = grownTo(this.#head, size)
      this.#tail = grownTo(this.#tail, size)
      this.#firstLine = grownTo(this.#firstLine, size)
      this.#lastLine = grownTo(this.#lastLine, size)
      const firstTs = new Float64Array(size).fill(Number.NaN)
      firstTs.set(this.#firstTs)
      this.#firstTs = firstTs
      const lastTs = new Float64Array(size).fill(Number.NaN)
      lastTs.set(this.#lastTs)
      this.#lastTs = lastTs
    }
    this.#head.fill(-1, this.#sessions, session + 1)
    this.#sessions = session + 1
  }
}
