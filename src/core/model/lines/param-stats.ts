/**
 * What a template's parameter at one position looked like in the baseline: its numeric range
 * when it is a number, and its values when there are few of them (a status code, an exception
 * class, a host role). Ids and other high-cardinality values overflow the value table and are
 * then only judged by range, if numeric.
 */

export interface ParamStatsSnapshot {
  n: number
  numeric: number
  min: number | null
  max: number | null
  /** Value → count while there are at most `maxValues` distinct values; null after that. */
  values: Record<string, number> | null
  /** Consecutive numeric values seen, and how many of those steps went up (older models: absent). */
  steps?: number | undefined
  rises?: number | undefined
}

export type ParamVerdict =
  | { kind: 'range'; value: number; min: number; max: number; ratio: number }
  | { kind: 'unseen'; value: string; seen: string[] }

export const maxValues = 24
/** Below this many baseline samples a position is not judged. */
const minSamples = 20
/** A value may stray this far outside the baseline range before it counts (×). */
const rangeTolerance = 1.5
/**
 * A position whose values nearly always went up from one line to the next is a counter or a
 * sequence id (an order number, a transaction id): a later log holds larger ones as a matter of
 * course, so only a value below its range is worth telling.
 */
const risingShare = 0.9

const NUMBER = /^[+-]?\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|us|µs|ns|s|kb|mb|gb|b|%)?$/i

export function parseNumber(value: string): number | null {
  if (!NUMBER.test(value)) return null
  const n = Number.parseFloat(value)
  return Number.isFinite(n) ? n : null
}

export class ParamStats {
  n = 0
  numeric = 0
  min = Number.POSITIVE_INFINITY
  max = Number.NEGATIVE_INFINITY
  values: Map<string, number> | null = new Map()
  steps = 0
  rises = 0
  #last: number | null = null

  observe(value: string): void {
    this.n++
    const number = parseNumber(value)
    if (number !== null) {
      if (this.#last !== null) {
        this.steps++
        if (number > this.#last) this.rises++
      }
      this.#last = number
      this.numeric++
      if (number < this.min) this.min = number
      if (number > this.max) this.max = number
    }
    if (this.values) {
      this.values.set(value, (this.values.get(value) ?? 0) + 1)
      if (this.values.size > maxValues) this.values = null
    }
  }

  /** Whether `judge` can return a verdict for some value (else it is null for every value). */
  canJudge(): boolean {
    return this.n >= minSamples && (this.numeric === this.n || (this.values !== null && this.values.size <= maxValues / 2))
  }

  /** Why `value` does not fit, or null when it does (or the baseline is too thin to say). */
  judge(value: string): ParamVerdict | null {
    if (this.n < minSamples) return null
    const verdict = this.numericOnly ? this.judgeNumber(parseNumber(value)) : undefined
    return verdict === undefined ? this.judgeCategory(value) : verdict
  }

  /** Whether every value was a number (then `judgeNumber` comes first). */
  get numericOnly(): boolean {
    return this.numeric === this.n
  }

  /**
   * `judge` of a value that reads as `number` (see `parseNumber`), where `canJudge` and
   * `numericOnly`; undefined when it is no number: then `judgeCategory` decides.
   */
  judgeNumber(number: number | null): ParamVerdict | null | undefined {
    if (number === null) return undefined
    if (number > this.max && this.rising()) return null
    const ratio = number > this.max ? (number + 1) / (this.max + 1) : number < this.min ? (this.min + 1) / (number + 1) : 1
    return ratio >= rangeTolerance ? { kind: 'range', value: number, min: this.min, max: this.max, ratio } : null
  }

  /** `judge` of a value by the values seen, where `canJudge` (and no number decided it). */
  judgeCategory(value: string): ParamVerdict | null {
    // Categorical: only a small, settled vocabulary is worth checking against.
    if (this.values && this.values.size <= maxValues / 2 && !this.values.has(value)) {
      return { kind: 'unseen', value, seen: [...this.values.keys()].sort() }
    }
    return null
  }

  /** Whether the values behaved like a counter: up from one line to the next, nearly always. */
  rising(): boolean {
    return this.steps >= minSamples && this.rises >= this.steps * risingShare
  }

  /** A value this position typically held (its most frequent, else its smallest number), or ''. */
  typical(): string {
    if (this.values) {
      let best = ''
      let most = 0
      for (const [value, count] of this.values) if (count > most) [best, most] = [value, count]
      return best
    }
    return this.numeric > 0 ? String(this.min) : ''
  }

  toSnapshot(): ParamStatsSnapshot {
    const finite = this.numeric > 0
    return {
      n: this.n,
      numeric: this.numeric,
      min: finite ? this.min : null,
      max: finite ? this.max : null,
      values: this.values ? Object.fromEntries(this.values) : null,
      ...(this.steps > 0 && { steps: this.steps, rises: this.rises })
    }
  }

  static fromSnapshot(snapshot: ParamStatsSnapshot): ParamStats {
    const stats = new ParamStats()
    stats.n = snapshot.n
    stats.numeric = snapshot.numeric
    stats.min = snapshot.min ?? Number.POSITIVE_INFINITY
    stats.max = snapshot.max ?? Number.NEGATIVE_INFINITY
    stats.values = snapshot.values ? new Map(Object.entries(snapshot.values)) : null
    stats.steps = snapshot.steps ?? 0
    stats.rises = snapshot.rises ?? 0
    return stats
  }
}
