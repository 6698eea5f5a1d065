/** The seams the engine depends on, so tests can pin time and randomness. */
export interface Clock {
  now(): number
}

export interface Random {
  /** Uniform in [0, 1). */
  next(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** Mulberry32: small, fast and good enough for sampling; deterministic for a given seed. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0
      let t = state
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
}

export const systemRandom: Random = { next: () => Math.random() }
