/**
 * How a template's lines spread over time (Welford's running variance, with min and max). In a
 * self-trained model, a template whose lines all fall in a narrow window of a long log is
 * suspect: faults come and go, routine traffic does not.
 */
export interface TimeSpreadSnapshot {
  n: number
  min: number
  max: number
  /** Mean offset from `min`-independent origin, and the sum of squared deviations. */
  origin: number
  mean: number
  m2: number
}

export class TimeSpread {
  n = 0
  min = Number.POSITIVE_INFINITY
  max = Number.NEGATIVE_INFINITY
  #origin = Number.NaN
  #mean = 0
  #m2 = 0

  observe(ts: number): void {
    // Offsets from the first timestamp keep the squares small enough for doubles.
    if (this.n === 0) this.#origin = ts
    const x = ts - this.#origin
    this.n++
    const delta = x - this.#mean
    this.#mean += delta / this.n
    this.#m2 += delta * (x - this.#mean)
    if (ts < this.min) this.min = ts
    if (ts > this.max) this.max = ts
  }

  get std(): number {
    return this.n > 1 ? Math.sqrt(this.#m2 / (this.n - 1)) : 0
  }

  toSnapshot(): TimeSpreadSnapshot {
    return { n: this.n, min: this.min, max: this.max, origin: this.#origin, mean: this.#mean, m2: this.#m2 }
  }

  static fromSnapshot(snapshot: TimeSpreadSnapshot): TimeSpread {
    const spread = new TimeSpread()
    spread.n = snapshot.n
    spread.min = snapshot.min
    spread.max = snapshot.max
    spread.#origin = snapshot.origin
    spread.#mean = snapshot.mean
    spread.#m2 = snapshot.m2
    return spread
  }
}

/**
 * How concentrated `part` is within `whole`: its standard deviation relative to the whole's
 * (about 1 for lines spread like everything else, near 0 for a burst). Null when either is too
 * thin to say.
 */
export function concentration(part: TimeSpread, whole: TimeSpread): number | null {
  if (part.n < 5 || whole.n < 100 || whole.std <= 0) return null
  return part.std / whole.std
}

/**
 * The same measure over record positions, against the even spread of `total` records (standard
 * deviation √((n²−1)/12)). Null when positions were not recorded for every line (older models).
 */
export function positionConcentration(positions: TimeSpread, count: number, total: number): number | null {
  if (positions.n !== count || positions.n < 5 || total < 100) return null
  return positions.std / Math.sqrt((total * total - 1) / 12)
}
