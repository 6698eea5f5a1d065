/**
 * The last timestamp parsed in a header column, kept so the next line's stamp is rarely parsed
 * again: neighbouring lines usually share their stamp, or differ only in its fraction digits
 * (`…:47,978` then `…:47,991`), which are then read directly (a fifth of the reader's time went
 * to parsing stamps before).
 */
import { matchTimestampWith } from './timestamp.ts'
import type { TimestampPattern } from './timestamp.ts'

/** What a `StampCache` last learned (see `StampCache.learned`). */
export interface LearnedStamp {
  readonly stamp: string
  readonly ms: number
  /** Where its fraction digits sit in it (-1: no fraction known), and its instant without them. */
  readonly fracAt: number
  readonly fracLength: number
  readonly secondMs: number
}

export class StampCache {
  readonly #pattern: TimestampPattern
  readonly #year: number
  /** The last stamp parsed, and its instant. */
  #stamp = '\u0000'
  #ms = 0
  /** Where its fraction digits sit in it (-1: no fraction known), and its instant without them. */
  #fracAt = -1
  #fracLength = 0
  #prefix = ''
  #suffix = ''
  #secondMs = 0

  constructor(pattern: TimestampPattern, year: number) {
    this.#pattern = pattern
    this.#year = year
  }

  /**
   * The last stamp parsed and what `read` reuses of it, for a port of `read`'s fast path
   * (ingest/native-heads.ts); null before the first.
   */
  get learned(): LearnedStamp | null {
    if (this.#stamp === '\u0000') return null
    const fraction = this.#fracAt >= 0
    return { stamp: this.#stamp, ms: this.#ms, fracAt: this.#fracAt, fracLength: fraction ? this.#fracLength : 0, secondMs: fraction ? this.#secondMs : 0 }
  }

  /**
   * The instant of the stamp at `line[at, last)`, or null when the pattern does not read all of
   * it (up to one trailing character, such as a closing bracket).
   */
  read(line: string, at: number, last: number): number | null {
    const length = last - at
    const fracAt = this.#fracAt
    // With a known fraction, the same stamp is read through it too: one comparison less.
    if (fracAt < 0) {
      if (length === this.#stamp.length && line.startsWith(this.#stamp, at)) return this.#ms
    } else if (
      length === this.#stamp.length &&
      line.startsWith(this.#prefix, at) &&
      line.startsWith(this.#suffix, at + fracAt + this.#fracLength) &&
      digitsAt(line, at + fracAt, this.#fracLength)
    ) {
      return this.#secondMs + fractionMs(line, at + fracAt, this.#fracLength)
    }
    const hit = matchTimestampWith(this.#pattern, line, at, this.#year)
    if (hit === null || hit.end < last - 1) return null
    this.#learn(line.slice(at, last), hit.ms)
    return hit.ms
  }

  /**
   * Finds the stamp's fraction: its last run of digits after a separator, if changing those digits
   * changes the instant by exactly what they say as milliseconds (so not seconds, nor a zone).
   */
  #learn(stamp: string, ms: number): void {
    this.#stamp = stamp
    this.#ms = ms
    this.#fracAt = -1
    let end = stamp.length
    while (end > 0 && !isDigit(stamp.charCodeAt(end - 1))) end--
    let start = end
    while (start > 0 && isDigit(stamp.charCodeAt(start - 1))) start--
    const separator = stamp.charCodeAt(start - 1)
    if (start === end || !(separator === 46 || separator === 44 || separator === 58)) return
    const secondMs = ms - fractionMs(stamp, start, end - start)
    const probe = (digits: string): number | null => matchTimestampWith(this.#pattern, stamp.slice(0, start) + digits + stamp.slice(end), 0, this.#year)?.ms ?? null
    if (probe('0'.repeat(end - start)) !== secondMs || probe('5'.padEnd(end - start, '0')) !== secondMs + 500) return
    this.#fracAt = start
    this.#fracLength = end - start
    this.#prefix = stamp.slice(0, start)
    this.#suffix = stamp.slice(end)
    this.#secondMs = secondMs
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

function digitsAt(text: string, at: number, length: number): boolean {
  for (let i = at; i < at + length; i++) if (!isDigit(text.charCodeAt(i))) return false
  return true
}

/** Fraction digits as milliseconds: the first three, padded (as the patterns read them). */
function fractionMs(text: string, at: number, length: number): number {
  let ms = 0
  for (let i = 0; i < 3; i++) ms = ms * 10 + (i < length ? text.charCodeAt(at + i) - 48 : 0)
  return ms
}
