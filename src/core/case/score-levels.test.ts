import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineBits, widenToRuns } from './line-list.ts'
import { LineIndex } from './line-index.ts'
import { bitmapRuns, linesScoring } from './score-levels.ts'

/** An index over these scores (other columns empty), which keeps their levels. */
function indexOf(scores: Float32Array, blockLines = 7): LineIndex {
  const n = scores.length
  return LineIndex.fromColumns(
    { ts: new Float64Array(n), templates: new Int32Array(n), sessions: new Int32Array(n).fill(-1), levels: new Uint8Array(n), flags: new Uint8Array(n), scores },
    blockLines
  )
}

// Level edges, the values either side of them, and what a score column can hold at the ends.
const score = fc.oneof(
  fc.constantFrom(0, -0, 0.0625, 0.5, 0.4999, 0.5001, 0.95, 1, 1.5, -0.25, Number.NaN),
  fc.float({ min: Math.fround(-0.1), max: Math.fround(1.1), noNaN: true })
)

describe('score levels', () => {
  it('find the lines scoring at least x, as reading every score does', () => {
    fc.assert(
      fc.property(fc.array(score, { maxLength: 300, size: 'max' }), fc.oneof(score, fc.double({ min: -0.2, max: 1.2 })), (values, min) => {
        const scores = Float32Array.from(values)
        const length = scores.length
        const expected: number[] = []
        for (let i = 0; i < length; i++) if ((scores[i] as number) >= min) expected.push(i + 1)
        const bits = linesScoring(indexOf(scores).scoreLevels(), scores, length, min)
        expect([...new LineBits(bits)]).toEqual(expected)
        for (const radius of [1, 3, 40]) expect([...bitmapRuns(bits, length, radius)]).toEqual([...widenToRuns(Int32Array.from(expected), radius, length)])
      }),
      { numRuns: 2_000 }
    )
  })

  it('cross word boundaries in runs', () => {
    const scores = new Float32Array(100)
    scores.fill(0.9, 30, 70)
    const bits = linesScoring(indexOf(scores).scoreLevels(), scores, 100, 0.5)
    const runs = bitmapRuns(bits, 100, 2)
    expect([runs.starts[0], runs.length]).toEqual([29, 44])
  })
})
