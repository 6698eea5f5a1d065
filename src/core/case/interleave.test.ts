import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { interleave } from './interleave.ts'
import type { InterleavedSource } from './interleave.ts'

/** The merge one line at a time: the source whose next line has the earliest stamp (a line without one goes by the line before it). */
function mergeByHand(sources: readonly InterleavedSource[]): [number, number][] {
  const next = sources.map(() => 0)
  const stamps = sources.map(() => Number.NEGATIVE_INFINITY)
  const out: [number, number][] = []
  for (;;) {
    let best = -1
    let bestAt = Number.POSITIVE_INFINITY
    sources.forEach((source, s) => {
      const i = next[s] as number
      if (i >= source.length) return
      const t = source.ts[i] as number
      const at = Number.isNaN(t) ? (stamps[s] as number) : t
      if (best < 0 || at < bestAt) {
        best = s
        bestAt = at
      }
    })
    if (best < 0) return out
    stamps[best] = bestAt
    out.push([(sources[best] as InterleavedSource).id, (next[best] as number) + 1])
    next[best] = (next[best] as number) + 1
  }
}

function listed(sources: readonly InterleavedSource[], from = 0, count = Number.POSITIVE_INFINITY): [number, number][] {
  const out: [number, number][] = []
  for (const run of interleave(sources).runs(from, count)) for (let j = 0; j < run.count; j++) out.push([run.sourceId, run.firstLine + j])
  return out
}

const source = (id: number, ts: (number | null)[]): InterleavedSource => ({ id, ts: Float64Array.from(ts, (t) => t ?? Number.NaN), length: ts.length })

describe('interleaving sources by time', () => {
  it('merges as sort -m does: by stamp, each source in its own order, lines without a stamp with the line before', () => {
    const web = source(1, [10, 20, null, 30, 50])
    const db = source(2, [null, 15, 20, 40])
    expect(listed([web, db])).toEqual([
      [2, 1], // before db's first stamp: first
      [1, 1],
      [2, 2],
      [1, 2], // 20 and 20: the source added first goes first
      [1, 3], // no stamp: with web's 20
      [2, 3],
      [1, 4],
      [2, 4],
      [1, 5]
    ])
  })

  it('gives the merge line by line would, for any stamps (out of order too), and any window of it', () => {
    const stamp = fc.option(fc.integer({ min: 0, max: 20 }), { nil: null, freq: 4 })
    const sources = fc.array(fc.array(stamp, { maxLength: 30 }), { minLength: 1, maxLength: 4 }).map((list) => list.map((ts, s) => source(s + 7, ts)))
    fc.assert(
      fc.property(sources, fc.nat(), fc.nat(), (list, a, b) => {
        const whole = mergeByHand(list)
        expect(listed(list)).toEqual(whole)
        expect(interleave(list).length).toBe(whole.length)
        const from = a % (whole.length + 1)
        const count = b % (whole.length + 2)
        expect(listed(list, from, count)).toEqual(whole.slice(from, from + count))
      }),
      { numRuns: 500 }
    )
  })
})
