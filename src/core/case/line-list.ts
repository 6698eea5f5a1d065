/**
 * A filter's result: ascending line numbers, held either one per line or as runs of consecutive
 * lines. Context (±N lines around each match, like grep -C) turns a few hundred thousand matches
 * into millions of lines that are mostly runs: at 10M lines, listing them one by one cost more
 * than finding the matches (about 40 of 63 ms).
 */
import { grownTo } from '../../shared/typed-array.ts'
import { nextClear, nextSet, popcount, setLines } from './bits.ts'
import { copyInts, giveInts, takeInts } from './result-memory.ts'

export interface LineList extends Iterable<number> {
  readonly length: number
  /** The line at position `i` (0 ≤ i < length). */
  at(i: number): number
  /** Position of the first line at or after `lineNo` (length when there is none). */
  indexOf(lineNo: number): number
  /** The lines at positions `from`…`from + count - 1`, as runs of consecutive lines. */
  runs(from: number, count: number): { first: number; count: number }[]
  /** Gives the list's memory back for later results (see result-memory.ts): the list is not used after. */
  release(): void
}

/** One slot per line. */
export class DenseLines implements LineList {
  readonly lines: Int32Array

  constructor(lines: Int32Array) {
    this.lines = lines
  }

  get length(): number {
    return this.lines.length
  }

  at(i: number): number {
    return this.lines[i] as number
  }

  indexOf(lineNo: number): number {
    return rank(this.lines, lineNo, false)
  }

  runs(from: number, count: number): { first: number; count: number }[] {
    const wanted = this.lines.subarray(from, from + count)
    const out: { first: number; count: number }[] = []
    for (let i = 0; i < wanted.length; ) {
      let j = i
      while (j + 1 < wanted.length && (wanted[j + 1] as number) === (wanted[j] as number) + 1) j++
      out.push({ first: wanted[i] as number, count: j - i + 1 })
      i = j + 1
    }
    return out
  }

  release(): void {
    giveInts(this.lines)
  }

  [Symbol.iterator](): Iterator<number> {
    return this.lines[Symbol.iterator]()
  }
}

/** Runs of consecutive lines: run k starts at `starts[k]` and holds `offsets[k + 1] - offsets[k]` lines. */
export class LineRuns implements LineList {
  readonly starts: Int32Array
  /** Lines before each run (length runs + 1; the last is the total). */
  readonly offsets: Int32Array

  constructor(starts: Int32Array, offsets: Int32Array) {
    this.starts = starts
    this.offsets = offsets
  }

  get length(): number {
    return this.offsets[this.starts.length] as number
  }

  /** The run holding position `i` (the offsets only rise: every run holds a line). */
  #runAt(i: number): number {
    return rank(this.offsets, i, true) - 1
  }

  at(i: number): number {
    const k = this.#runAt(i)
    return (this.starts[k] as number) + i - (this.offsets[k] as number)
  }

  indexOf(lineNo: number): number {
    const starts = this.starts
    // The last run starting at or before lineNo.
    const k = rank(starts, lineNo, true) - 1
    if (k < 0) return 0
    const inRun = lineNo - (starts[k] as number)
    const size = (this.offsets[k + 1] as number) - (this.offsets[k] as number)
    return inRun < size ? (this.offsets[k] as number) + inRun : (this.offsets[k + 1] as number)
  }

  runs(from: number, count: number): { first: number; count: number }[] {
    const end = Math.min(from + count, this.length)
    const out: { first: number; count: number }[] = []
    for (let i = from, k = i < end ? this.#runAt(i) : 0; i < end; k++) {
      const runEnd = Math.min(end, this.offsets[k + 1] as number)
      out.push({ first: (this.starts[k] as number) + i - (this.offsets[k] as number), count: runEnd - i })
      i = runEnd
    }
    return out
  }

  release(): void {
    giveInts(this.starts)
    giveInts(this.offsets)
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let k = 0; k < this.starts.length; k++) {
      const start = this.starts[k] as number
      const size = (this.offsets[k + 1] as number) - (this.offsets[k] as number)
      for (let j = 0; j < size; j++) yield start + j
    }
  }
}

/**
 * Lines as a bitmap (bit i: line i + 1), with the lines counted before every 16th word so a
 * position is found without a scan. An eighth of a byte a line however many match: a dense
 * result as a list (levels warn+error at 10M lines: 2.4M lines) took 10 MB per query, which the
 * allocator hands out as fresh pages, slow to fault in on a virtual machine.
 */
export class LineBits implements LineList {
  readonly bits: Int32Array
  /** Lines in words 0…16k - 1, at k (the last: the total). */
  readonly #before: Int32Array

  /** `bits` is kept, not copied; bits past the last line must be clear. */
  constructor(bits: Int32Array) {
    this.bits = bits
    const groups = (bits.length + 15) >>> 4
    const before = new Int32Array(groups + 1)
    let total = 0
    for (let g = 0; g < groups; g++) {
      before[g] = total
      const end = Math.min(bits.length, (g + 1) << 4)
      for (let w = g << 4; w < end; w++) total += popcount(bits[w] as number)
    }
    before[groups] = total
    this.#before = before
  }

  get length(): number {
    return this.#before[this.#before.length - 1] as number
  }

  at(i: number): number {
    // The group holding position i: the last one with at most i lines before it.
    const g = rank(this.#before, i, true) - 1
    let rest = i - (this.#before[g] as number)
    for (let w = g << 4; ; w++) {
      let word = this.bits[w] as number
      const set = popcount(word)
      if (rest < set) {
        for (; rest > 0; rest--) word &= word - 1
        return (w << 5) + (31 - Math.clz32(word & -word)) + 1
      }
      rest -= set
    }
  }

  indexOf(lineNo: number): number {
    const pos = lineNo - 1
    if (pos <= 0) return 0
    const w = pos >>> 5
    if (w >= this.bits.length) return this.length
    const g = w >>> 4
    let count = this.#before[g] as number
    for (let x = g << 4; x < w; x++) count += popcount(this.bits[x] as number)
    // The word's bits below pos (none when pos starts the word: the mask is then 0).
    return count + popcount((this.bits[w] as number) & ((1 << (pos & 31)) - 1))
  }

  runs(from: number, count: number): { first: number; count: number }[] {
    let left = Math.min(from + count, this.length) - from
    const out: { first: number; count: number }[] = []
    if (left <= 0) return out
    for (let pos = this.at(from) - 1; ; ) {
      const stop = nextClear(this.bits, pos)
      const n = Math.min(stop - pos, left)
      out.push({ first: pos + 1, count: n })
      left -= n
      if (left === 0) return out
      pos = nextSet(this.bits, stop)
    }
  }

  release(): void {
    giveInts(this.bits)
  }

  *[Symbol.iterator](): Iterator<number> {
    const bits = this.bits
    for (let w = 0; w < bits.length; w++) {
      for (let word = bits[w] as number; word !== 0; word &= word - 1) yield (w << 5) + (31 - Math.clz32(word & -word)) + 1
    }
  }
}

/**
 * The first `count` lines of ascending `lines` (1…`total`) as a list of their own: a bitmap when
 * that is smaller, else a copy.
 */
export function compactLines(lines: Int32Array, count: number, total: number): LineList {
  const words = (total + 31) >>> 5
  if (count <= words) return new DenseLines(copyInts(lines, count))
  const bits = takeInts(words, true)
  setLines(bits, lines, 0, count)
  return new LineBits(bits)
}

/** How many of the ascending `values` are below `limit` (or at most `limit`, when `inclusive`). */
function rank(values: Int32Array, limit: number, inclusive: boolean): number {
  let lo = 0
  let hi = values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const v = values[mid] as number
    if (v < limit || (inclusive && v === limit)) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** `radius` lines on each side of every match (ascending), merged, within lines 1…`lines`. */
export function widenToRuns(matches: Int32Array, radius: number, lines: number): LineRuns {
  const runs = new RunsBuilder(radius, lines)
  for (let k = 0; k < matches.length; k++) runs.add(matches[k] as number)
  return runs.done()
}

/**
 * RunsBuilder's working arrays, kept between builds: grown by doubling for each result of
 * 100,000s of runs, they were ~6 MB of fresh memory a filter (and fresh pages cost ~10 µs each
 * on the machines measured here). A builder borrows them until `done` (builds are synchronous;
 * one started meanwhile gets its own).
 */
const spare: { starts: Int32Array; offsets: Int32Array; lent: boolean } = { starts: new Int32Array(256), offsets: new Int32Array(257), lent: false }

/**
 * `widenToRuns` fed one match at a time, in rising order: a filter can widen as it scans,
 * with no list of every match (millions at a low score threshold) in between.
 */
export class RunsBuilder {
  readonly #radius: number
  readonly #lines: number
  readonly #borrowed: boolean
  #starts: Int32Array
  #offsets: Int32Array
  #runs = 0
  #total = 0
  #runStart = 0
  #runEnd = -1

  constructor(radius: number, lines: number) {
    this.#radius = radius
    this.#lines = lines
    this.#borrowed = !spare.lent
    spare.lent = true
    this.#starts = this.#borrowed ? spare.starts : new Int32Array(256)
    this.#offsets = this.#borrowed ? spare.offsets : new Int32Array(257)
  }

  add(lineNo: number): void {
    this.addRun(lineNo, lineNo)
  }

  /** Matches on every line `first` … `last` (after the last one added). */
  addRun(first: number, last: number): void {
    const from = Math.max(1, first - this.#radius)
    const to = Math.min(this.#lines, last + this.#radius)
    if (to < from) return
    if (this.#runEnd >= 0 && from <= this.#runEnd + 1) {
      if (to > this.#runEnd) this.#runEnd = to
      return
    }
    this.#close()
    this.#runStart = from
    this.#runEnd = to
  }

  done(): LineRuns {
    this.#close()
    this.#runEnd = -1
    const runs = this.#runs
    this.#offsets[runs] = this.#total
    const result = new LineRuns(copyInts(this.#starts, runs), copyInts(this.#offsets, runs + 1))
    if (this.#borrowed) {
      spare.starts = this.#starts
      spare.offsets = this.#offsets
      spare.lent = false
    }
    return result
  }

  #close(): void {
    if (this.#runEnd < 0) return
    const k = this.#runs++
    if (k + 1 >= this.#starts.length) {
      this.#starts = grownTo(this.#starts, this.#starts.length * 2)
      this.#offsets = grownTo(this.#offsets, this.#starts.length + 1)
    }
    this.#starts[k] = this.#runStart
    this.#offsets[k] = this.#total
    this.#total += this.#runEnd - this.#runStart + 1
  }
}
