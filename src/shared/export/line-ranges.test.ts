import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { contextRanges } from './line-ranges.ts'

describe('contextRanges', () => {
  it('merges overlapping and touching ranges and clips them to the source', () => {
    expect(contextRanges([5, 7, 30, 2, 40], 2, 40)).toEqual([
      [1, 9],
      [28, 32],
      [38, 40]
    ])
    expect(contextRanges([3, 6], 1, 10)).toEqual([[2, 7]])
    expect(contextRanges([], 3, 10)).toEqual([])
    expect(contextRanges([0, 11], 3, 10)).toEqual([])
    expect(() => contextRanges([1], 1.5, 10)).toThrow(/context/)
  })

  it('covers exactly the lines within N of an anchor, each once, in order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 200 }), { maxLength: 30 }), fc.integer({ min: 0, max: 6 }), (anchors, n) => {
        const ranges = contextRanges(anchors, n, 200)
        const covered = ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i))
        const expected = Array.from({ length: 200 }, (_, i) => i + 1).filter((line) => anchors.some((a) => Math.abs(a - line) <= n))
        expect(covered).toEqual(expected)
        for (let i = 1; i < ranges.length; i++) expect((ranges[i] as [number, number])[0]).toBeGreaterThan((ranges[i - 1] as [number, number])[1] + 1)
      })
    )
  })
})
