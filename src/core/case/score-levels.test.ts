import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { widenToRuns } from './line-list.ts'
import { bitmapLines, bitmapRuns, buildScoreLevels, linesScoring } from './score-levels.ts'

// Level edges, the values either side of them, and what a score column can hold at the ends.
const score = fc.oneof(
  fc.constantFrom(0, -0, 0.0625, 0.5, 0.4999, 0.5001, 0.95, 1, 1.5, -0.25, Number.NaN),
  fc.float({ min: Math.fround(-0.1), max: Math.fround(1.1), noNaN: true })
)

describe('score levels', () => {
  it('find the lines scoring at least x, as reading every score does, lines added since included', () => {
    fc.assert(
      fc.property(
        fc.array(score, { maxLength: 300, size: 'max' }),
        fc.oneof(score, fc.double({ min: -0.2, max: 1.2 })),
        // Mostly every line covered; sometimes lines added since the levels were built.
        fc.oneof(fc.constant(Number.MAX_SAFE_INTEGER), fc.nat(300)),
        (values, min, built) => {
          const scores = Float32Array.from(values)
          const length = scores.length
          const levels = buildScoreLevels(scores, Math.min(built, length))
          const expected: number[] = []
          for (let i = 0; i < length; i++) if ((scores[i] as number) >= min) expected.push(i + 1)
          const bits = linesScoring(levels, scores, length, min)
          expect([...bitmapLines(bits)]).toEqual(expected)
          for (const radius of [1, 3, 40]) expect([...bitmapRuns(bits, length, radius)]).toEqual([...widenToRuns(Int32Array.from(expected), radius, length)])
        }
      ),
      { numRuns: 2_000 }
    )
  })

  it('cross word boundaries in runs', () => {
    const scores = new Float32Array(100)
    scores.fill(0.9, 30, 70)
    const bits = linesScoring(buildScoreLevels(scores, 100), scores, 100, 0.5)
    const runs = bitmapRuns(bits, 100, 2)
    expect([runs.starts[0], runs.length]).toEqual([29, 44])
  })
})
