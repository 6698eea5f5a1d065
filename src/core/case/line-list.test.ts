import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DenseLines, widenToRuns } from './line-list.ts'

/** grep -C by the book: every line within `radius` of a match, once, ascending. */
function widenByHand(matches: readonly number[], radius: number, lines: number): number[] {
  const out = new Set<number>()
  for (const m of matches) for (let l = m - radius; l <= m + radius; l++) if (l >= 1 && l <= lines) out.add(l)
  return [...out].sort((a, b) => a - b)
}

const input = fc
  .record({ lines: fc.integer({ min: 1, max: 400 }), radius: fc.integer({ min: 1, max: 6 }), picks: fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 60 }) })
  .map(({ lines, radius, picks }) => ({ lines, radius, matches: picks.filter((p) => p <= lines).sort((a, b) => a - b) }))

describe('line lists', () => {
  it('widen matches into runs holding exactly the lines grep -C would show', () => {
    fc.assert(
      fc.property(input, ({ lines, radius, matches }) => {
        expect([...widenToRuns(Int32Array.from(matches), radius, lines)]).toEqual(widenByHand(matches, radius, lines))
      })
    )
  })

  it('answer positions, lookups and pages as the same lines listed one by one do', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 420 }), fc.integer({ min: 1, max: 50 }), ({ lines, radius, matches }, probe, page) => {
        const runs = widenToRuns(Int32Array.from(matches), radius, lines)
        const dense = new DenseLines(Int32Array.from(widenByHand(matches, radius, lines)))
        expect(runs.length).toBe(dense.length)
        for (let i = 0; i < dense.length; i++) expect(runs.at(i)).toBe(dense.at(i))
        expect(runs.indexOf(probe)).toBe(dense.indexOf(probe))
        const from = Math.min(probe, dense.length)
        expect(runs.runs(from, page)).toEqual(dense.runs(from, page))
      })
    )
  })

  it('hold nothing when nothing matched', () => {
    const runs = widenToRuns(new Int32Array(0), 3, 100)
    expect([runs.length, runs.indexOf(5), runs.runs(0, 10)]).toEqual([0, 0, []])
  })
})
