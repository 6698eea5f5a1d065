import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DenseLines, LineBits, compactLines, widenToRuns } from './line-list.ts'

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

  it('as a bitmap, answer positions, lookups, pages and iteration as the same lines listed do', () => {
    // Up to 2,000 lines: several groups of 16 words, some of them empty, and dense stretches.
    const lines = fc.integer({ min: 1, max: 2_000 }).chain((total) =>
      fc.record({
        total: fc.constant(total),
        picked: fc.oneof(fc.uniqueArray(fc.integer({ min: 1, max: total }), { maxLength: 300 }), fc.array(fc.boolean(), { minLength: total, maxLength: total }).map((keep) => keep.flatMap((k, i) => (k ? [i + 1] : [])))),
        probes: fc.array(fc.integer({ min: 0, max: total + 40 }), { minLength: 1, maxLength: 8 }),
        page: fc.integer({ min: 1, max: 80 })
      })
    )
    fc.assert(
      fc.property(lines, ({ total, picked, probes, page }) => {
        const sorted = Int32Array.from(picked).sort()
        const dense = new DenseLines(sorted)
        const bits = new Int32Array((total + 31) >>> 5)
        for (const line of sorted) bits[(line - 1) >>> 5] = (bits[(line - 1) >>> 5] as number) | (1 << ((line - 1) & 31))
        const bitmap = new LineBits(bits)
        expect(bitmap.length).toBe(dense.length)
        expect([...bitmap]).toEqual([...dense])
        for (let i = 0; i < dense.length; i++) expect(bitmap.at(i)).toBe(dense.at(i))
        for (const probe of probes) {
          expect(bitmap.indexOf(probe)).toBe(dense.indexOf(probe))
          const from = Math.min(probe, dense.length)
          expect(bitmap.runs(from, page)).toEqual(dense.runs(from, page))
        }
        // Whichever form a result takes, it holds the same lines.
        expect([...compactLines(sorted, sorted.length, total)]).toEqual([...dense])
      }),
      { numRuns: 400 }
    )
  })

  it('hold nothing when nothing matched', () => {
    const runs = widenToRuns(new Int32Array(0), 3, 100)
    expect([runs.length, runs.indexOf(5), runs.runs(0, 10)]).toEqual([0, 0, []])
  })
})
