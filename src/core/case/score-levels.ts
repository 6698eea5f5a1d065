/**
 * Lines by score level, as bitmaps: the anomaly slider's filter ("score ≥ x", maybe with context
 * lines) without reading every line's score. Reading 10M scores takes 20–30 ms on its own here,
 * however the loop is written; eighteen bitmaps of one bit a line (22 MB at 10M lines) answer
 * from the levels wholly above x, and read only the lines of the one level x falls in.
 */
import { RunsBuilder } from './line-list.ts'
import { nextClear, nextSet } from './bits.ts'
import { takeInts } from './result-memory.ts'
import type { LineRuns } from './line-list.ts'
import { grownTo } from '../../shared/typed-array.ts'

/** Level 0: NaN or below 0; 1: exactly 0 (most lines); 2 + ⌊score × 16⌋ (to 15) above 0. */
const scoreLevelCount = 18

/** Per level, one bit per line (0-based position). */
export type ScoreLevels = readonly Int32Array[]

function scoreLevelOf(score: number): number {
  if (score > 0) return 2 + Math.min(15, Math.floor(score * 16))
  return score === 0 ? 1 : 0
}

/** Empty levels with room for `lines` lines. */
export function emptyLevels(lines: number): Int32Array[] {
  return Array.from({ length: scoreLevelCount }, () => new Int32Array((lines + 31) >>> 5))
}

/** `levels` with room for `lines` lines. */
export function grownLevels(levels: ScoreLevels, lines: number): Int32Array[] {
  return levels.map((bits) => grownTo(bits, (lines + 31) >>> 5))
}

/** Puts position `i` in the level of `score` (it must be in none yet: see `clearLevels`). */
export function markLevel(levels: ScoreLevels, i: number, score: number): void {
  const bits = levels[scoreLevelOf(score)] as Int32Array
  bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31))
}

/** Clears positions start … end - 1 in every level. */
export function clearLevels(levels: ScoreLevels, start: number, end: number): void {
  for (const bits of levels) {
    for (let i = start; i < end && (i & 31) !== 0; i++) bits[i >>> 5] = (bits[i >>> 5] as number) & ~(1 << (i & 31))
    const from = (start + 31) >>> 5
    const to = end >>> 5
    if (from < to) bits.fill(0, from, to)
    for (let i = Math.max(start, to << 5); i < end; i++) bits[i >>> 5] = (bits[i >>> 5] as number) & ~(1 << (i & 31))
  }
}

/** A bitmap of the first `length` lines that score at least `min` (as `score >= min`). */
export function linesScoring(levels: ScoreLevels, scores: Float32Array, length: number, min: number): Int32Array {
  const out = takeInts((length + 31) >>> 5, true)
  if (min !== min) return out
  const words = length >>> 5
  // Levels above the one `min` falls in score above `min` whole (⌊s × 16⌋ > ⌊min × 16⌋ means
  // s > min; any score above 0 is above a `min` of 0 or less); the one it falls in is read.
  const boundary = min > 0 ? scoreLevelOf(min) : 0
  for (let level = boundary + 1; level < scoreLevelCount; level++) {
    const bits = levels[level] as Int32Array
    for (let w = 0; w < words; w++) out[w] = (out[w] as number) | (bits[w] as number)
  }
  const bits = levels[boundary] as Int32Array
  for (let w = 0; w < words; w++) {
    let word = bits[w] as number
    while (word !== 0) {
      const bit = 31 - Math.clz32(word & -word)
      word &= word - 1
      if ((scores[(w << 5) + bit] as number) >= min) out[w] = (out[w] as number) | (1 << bit)
    }
  }
  // The last partial word, line by line.
  for (let i = words << 5; i < length; i++) if ((scores[i] as number) >= min) out[i >>> 5] = (out[i >>> 5] as number) | (1 << (i & 31))
  return out
}

/**
 * The lines of `bits` widened by `radius` lines on each side (as `widenToRuns`), within lines
 * 1 … `lines`: found run by run of set bits, not line by line.
 */
export function bitmapRuns(bits: Int32Array, lines: number, radius: number): LineRuns {
  const runs = new RunsBuilder(radius, lines)
  for (let pos = nextSet(bits, 0); pos >= 0; ) {
    const end = nextClear(bits, pos)
    // Positions pos … end - 1 are lines pos + 1 … end.
    runs.addRun(pos + 1, end)
    pos = nextSet(bits, end)
  }
  return runs.done()
}
