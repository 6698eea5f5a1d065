/**
 * Several sources' lines in one order, by timestamp, as `sort -m` merges sorted files: each
 * source keeps its own order, and the line with the earliest stamp among the sources' next lines
 * goes next (on a tie, the source added first). A line without a stamp (a stack frame, a
 * continuation) goes with the line before it; lines before a source's first stamp go first.
 *
 * Held as runs of consecutive lines of one source, not a table of every line: hosts' logs
 * interleave in runs, and a window is then found by a binary search over the runs.
 */
import { grownTo } from '../../shared/typed-array.ts'

/** One source's lines, as its line index holds them. */
export interface InterleavedSource {
  readonly id: number
  /** Timestamp (epoch ms) of line i + 1, NaN for none; at least `length` long. */
  readonly ts: Float64Array
  /** Lines 1 … length take part. */
  readonly length: number
}

/** A stretch of consecutive lines of one source. */
export interface SourceRun {
  readonly sourceId: number
  readonly firstLine: number
  readonly count: number
}

export class Interleaving {
  /** Per run: its source, its first line, and the lines before it in the interleaving (runs + 1). */
  readonly #sources: Int32Array
  readonly #firsts: Int32Array
  readonly #before: Int32Array
  readonly #runs: number

  constructor(sources: Int32Array, firsts: Int32Array, before: Int32Array, runs: number) {
    this.#sources = sources
    this.#firsts = firsts
    this.#before = before
    this.#runs = runs
  }

  /** Lines in the interleaving. */
  get length(): number {
    return this.#before[this.#runs] as number
  }

  /** Runs of stretches of one source at positions from … from + count - 1 (0-based), in order. */
  runs(from: number, count: number): SourceRun[] {
    const end = Math.min(this.length, from + count)
    const out: SourceRun[] = []
    for (let k = this.#runAt(from), at = from; at < end; k++) {
      const runEnd = Math.min(end, this.#before[k + 1] as number)
      out.push({ sourceId: this.#sources[k] as number, firstLine: (this.#firsts[k] as number) + at - (this.#before[k] as number), count: runEnd - at })
      at = runEnd
    }
    return out
  }

  /** The run holding position `at` (the last whose first position is at most `at`). */
  #runAt(at: number): number {
    let lo = 0
    let hi = this.#runs
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((this.#before[mid + 1] as number) <= at) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

/** The sources' lines interleaved by timestamp (see the file's comment). */
export function interleave(sources: readonly InterleavedSource[]): Interleaving {
  const k = sources.length
  // Per source: the next line to take (0-based) and the stamp it goes by.
  const next = new Int32Array(k)
  const stamp = new Float64Array(k).fill(Number.NEGATIVE_INFINITY)
  const headStamp = (s: number): number => {
    const source = sources[s] as InterleavedSource
    const i = next[s] as number
    if (i >= source.length) return Number.POSITIVE_INFINITY
    const t = source.ts[i] as number
    return t === t ? t : (stamp[s] as number)
  }
  let runSources = new Int32Array(256)
  let firsts = new Int32Array(256)
  let before = new Int32Array(257)
  let runs = 0
  let total = 0
  for (;;) {
    // The source whose next line goes first, and the stamp the others' next lines bound its run by.
    let chosen = -1
    let chosenAt = Number.POSITIVE_INFINITY
    for (let s = 0; s < k; s++) {
      const t = headStamp(s)
      // Strictly earlier: on a tie the source added first goes first. An exhausted source's +∞ never is.
      if (t < chosenAt) {
        chosen = s
        chosenAt = t
      }
    }
    if (chosen < 0) break
    let bound = Number.POSITIVE_INFINITY
    let boundSource = k
    for (let s = 0; s < k; s++) {
      if (s === chosen) continue
      const t = headStamp(s)
      if (t < bound) {
        bound = t
        boundSource = s
      }
    }
    const source = sources[chosen] as InterleavedSource
    const ts = source.ts
    const first = next[chosen] as number
    let i = first
    let last = stamp[chosen] as number
    // Take lines while each goes before every other source's next (a tie: the earlier source first).
    while (i < source.length) {
      const t = ts[i] as number
      const at = t === t ? t : last
      if (i > first && !(at < bound || (at === bound && chosen < boundSource))) break
      last = at
      i++
    }
    next[chosen] = i
    stamp[chosen] = last
    if (runs + 1 >= runSources.length) {
      runSources = grownTo(runSources, runSources.length * 2)
      firsts = grownTo(firsts, runSources.length)
      before = grownTo(before, runSources.length + 1)
    }
    runSources[runs] = source.id
    firsts[runs] = first + 1
    before[runs] = total
    total += i - first
    runs++
  }
  before[runs] = total
  return new Interleaving(runSources, firsts, before, runs)
}
