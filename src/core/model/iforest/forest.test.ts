import { describe, expect, it } from 'vitest'
import type { CsrMatrix } from '../tfidf/csr.ts'
import { csrFromDense, csrFromRows, csrRow } from '../tfidf/csr.ts'
import { IsolationForest, fitIsolationForest } from './forest.ts'
import { averagePathLength } from './path-length.ts'
import { Prng } from './prng.ts'
import type { IsolationForestSnapshot, TreeSnapshot } from './snapshot.ts'

/** 400 rows of 6 sparse-ish features: a dense cluster plus 8 far points. */
function syntheticRows(seed: number): CsrMatrix {
  const rng = new Prng(seed)
  const rows: number[][] = []
  for (let i = 0; i < 400; i++) {
    const far = i % 50 === 7
    rows.push(
      Array.from({ length: 6 }, (_, j) => {
        if (rng.nextDouble() < 0.4) return 0
        const v = far ? 3 + rng.nextDouble() : rng.nextDouble() * 0.5
        return j === 5 && !far ? 0 : v
      })
    )
  }
  return csrFromDense(rows, 6)
}

/** The textbook definition, straight from a snapshot: mean over trees of depth + c(leaf size). */
function referenceScore(s: IsolationForestSnapshot, row: Map<number, number>): number {
  let sum = 0
  for (const t of s.trees) {
    let node = 0
    let depth = 0
    while ((t.left[node] ?? -1) !== -1) {
      const v = Math.fround(row.get(t.feature[node] ?? 0) ?? 0)
      node = v <= (t.threshold[node] ?? 0) ? (t.left[node] ?? 0) : (t.right[node] ?? 0)
      depth++
    }
    sum += depth + averagePathLength(t.nodeSamples[node] ?? 0)
  }
  return -(2 ** -(sum / s.trees.length / averagePathLength(s.maxSamples)))
}

describe('IsolationForest', () => {
  const x = syntheticRows(7)
  const forest = fitIsolationForest(x, { randomSeed: 3 })

  it('is deterministic for a seed and differs across seeds', () => {
    const again = fitIsolationForest(x, { randomSeed: 3 })
    expect(Array.from(again.scoreSamples(x))).toEqual(Array.from(forest.scoreSamples(x)))
    expect(again.toSnapshot()).toEqual(forest.toSnapshot())
    const other = fitIsolationForest(x, { randomSeed: 4 })
    expect(Array.from(other.scoreSamples(x))).not.toEqual(Array.from(forest.scoreSamples(x)))
  })

  it('round-trips through a JSON snapshot with identical scores and offset', () => {
    const json = JSON.stringify(forest.toSnapshot())
    const copy = IsolationForest.fromSnapshot(JSON.parse(json) as IsolationForestSnapshot)
    expect(copy.offset).toBe(forest.offset)
    expect(copy.maxSamples).toBe(forest.maxSamples)
    expect(Array.from(copy.scoreSamples(x))).toEqual(Array.from(forest.scoreSamples(x)))
    expect(Array.from(copy.predict(x))).toEqual(Array.from(forest.predict(x)))
    expect(copy.toSnapshot()).toEqual(forest.toSnapshot())
  })

  it('scores every row as the path-length definition says', () => {
    const snap = forest.toSnapshot()
    const scores = forest.scoreSamples(x)
    for (let i = 0; i < x.nRows; i++) {
      const r = csrRow(x, i)
      const row = new Map(Array.from(r.indices, (c, k) => [c, r.data[k] ?? 0]))
      expect(Math.abs((scores[i] ?? 0) - referenceScore(snap, row))).toBeLessThan(1e-12)
      expect(forest.scoreRow(r)).toBe(scores[i])
    }
  })

  it('scores by tree walks when thresholds can be negative, with the same definition', () => {
    const rng = new Prng(11)
    const signed = csrFromDense(
      Array.from({ length: 300 }, () => Array.from({ length: 4 }, () => (rng.nextDouble() < 0.3 ? 0 : rng.nextDouble() * 2 - 1))),
      4
    )
    const walked = fitIsolationForest(signed, { randomSeed: 5, nEstimators: 20 })
    expect(walked.usesSparseExitLeaves).toBe(false)
    expect(forest.usesSparseExitLeaves).toBe(true)
    const snap = walked.toSnapshot()
    const scores = walked.scoreSamples(signed)
    for (let i = 0; i < signed.nRows; i++) {
      const r = csrRow(signed, i)
      const row = new Map(Array.from(r.indices, (c, k) => [c, r.data[k] ?? 0]))
      expect(Math.abs((scores[i] ?? 0) - referenceScore(snap, row))).toBeLessThan(1e-12)
    }
  })

  it('scores repeated rows in a batch exactly as on their own', () => {
    const rows = Array.from({ length: 50 }, (_, i) => csrRow(x, i % 7))
    const batch = forest.scoreSamples(csrFromRows(rows, x.nCols))
    batch.forEach((v, i) => expect(v).toBe(forest.scoreRow(rows[i % 50] ?? csrRow(x, 0))))
  })

  it('deduplicates across chunk boundaries of a long batch without mixing rows up', () => {
    const n = 600_000 // more than one 2^19-row chunk
    const distinct = Array.from({ length: 5 }, (_, i) => csrRow(x, i * 3))
    const indptr = new Int32Array(n + 1)
    const lengths = distinct.map((r) => r.indices.length)
    for (let i = 0; i < n; i++) indptr[i + 1] = (indptr[i] ?? 0) + (lengths[i % 5] ?? 0)
    const indices = new Int32Array(indptr[n] ?? 0)
    const data = new Float64Array(indices.length)
    for (let i = 0; i < n; i++) {
      const r = distinct[i % 5]
      if (r === undefined) continue
      indices.set(r.indices, indptr[i] ?? 0)
      data.set(r.data, indptr[i] ?? 0)
    }
    const scores = forest.scoreSamples({ nRows: n, nCols: x.nCols, indptr, indices, data })
    const expected = distinct.map((r) => forest.scoreRow(r))
    let wrong = 0
    for (let i = 0; i < n; i++) if (scores[i] !== expected[i % 5]) wrong++
    expect(wrong).toBe(0)
  })

  it('grows trees with sklearn’s shape: 256 rows, depth ≤ 8, children partition their parent', () => {
    const snap = forest.toSnapshot()
    expect(snap.maxSamples).toBe(256)
    expect(snap.trees).toHaveLength(100)
    for (const t of snap.trees) {
      expect(t.nodeSamples[0]).toBe(256)
      const depth = new Array<number>(t.feature.length).fill(0)
      t.left.forEach((l, i) => {
        if (l === -1) {
          expect(t.feature[i]).toBe(-2)
          return
        }
        const r = t.right[i] ?? 0
        expect((t.nodeSamples[l] ?? 0) + (t.nodeSamples[r] ?? 0)).toBe(t.nodeSamples[i])
        expect(t.nodeSamples[l]).toBeGreaterThan(0)
        expect(t.nodeSamples[r]).toBeGreaterThan(0)
        depth[l] = (depth[i] ?? 0) + 1
        depth[r] = (depth[i] ?? 0) + 1
      })
      expect(Math.max(...depth)).toBeLessThanOrEqual(8)
    }
    // Trees wider than 32 leaves exercise the multi-word leaf bitsets of the sparse scorer.
    expect(Math.max(...snap.trees.map((t) => t.left.filter((l) => l === -1).length))).toBeGreaterThan(64)
  })

  it('finds the planted far points and flags the contamination share', () => {
    const p = forest.predict(x)
    const flagged = Array.from(p).filter((v) => v === -1).length
    expect(flagged).toBe(Math.round(0.05 * x.nRows))
    const d = forest.decisionFunction(x)
    const far = Array.from({ length: 8 }, (_, k) => k * 50 + 7)
    for (const i of far) expect(d[i]).toBeLessThan(0)
  })

  it("uses offset -0.5 for contamination 'auto' and can move the threshold afterwards", () => {
    const auto = fitIsolationForest(x, { randomSeed: 3, contamination: 'auto' })
    expect(auto.offset).toBe(-0.5)
    expect(Array.from(auto.scoreSamples(x))).toEqual(Array.from(forest.scoreSamples(x)))
    const tenPercent = auto.withContamination(0.1, x)
    expect(Array.from(tenPercent.predict(x)).filter((v) => v === -1).length).toBe(40)
    expect(tenPercent.settings.contamination).toBe(0.1)
  })

  it('clamps maxSamples to the rows available and handles tiny inputs like sklearn', () => {
    const small = csrFromDense([[1], [2], [3]], 1)
    expect(fitIsolationForest(small, { maxSamples: 1000 }).maxSamples).toBe(3)
    // One row: c(1) = 0, sklearn then scores every row -0.5.
    const one = fitIsolationForest(csrFromDense([[5, 1]], 2), { contamination: 'auto' })
    expect(Array.from(one.scoreSamples(csrFromDense([[5, 1], [0, 0]], 2)))).toEqual([-0.5, -0.5])
    // Identical rows cannot be split: every tree is one leaf of n rows, so E[h] = c(n).
    const same = fitIsolationForest(csrFromDense([[1, 2], [1, 2], [1, 2], [1, 2]], 2), { contamination: 'auto' })
    expect(same.nNodes).toBe(100)
    expect(same.scoreSamples(csrFromDense([[9, 9]], 2))[0]).toBeCloseTo(-0.5, 15)
  })

  it('accepts rows whose columns are not sorted', () => {
    const sorted: CsrMatrix = {
      nRows: 3,
      nCols: 3,
      indptr: Int32Array.from([0, 2, 3, 5]),
      indices: Int32Array.from([0, 2, 1, 0, 1]),
      data: Float64Array.from([1, 2, 3, 4, 5])
    }
    const shuffled: CsrMatrix = { ...sorted, indices: Int32Array.from([2, 0, 1, 1, 0]), data: Float64Array.from([2, 1, 3, 5, 4]) }
    const a = fitIsolationForest(sorted, { nEstimators: 10 })
    const b = fitIsolationForest(shuffled, { nEstimators: 10 })
    expect(b.toSnapshot()).toEqual(a.toSnapshot())
  })

  it('rejects input of the wrong width and bad settings', () => {
    expect(() => forest.scoreSamples(csrFromDense([[1, 2]], 2))).toThrow(/2 features.*fitted with 6/)
    expect(() => fitIsolationForest(x, { contamination: 0.7 })).toThrow(/contamination/)
    expect(() => fitIsolationForest(x, { nEstimators: 0 })).toThrow(/nEstimators/)
    expect(() => fitIsolationForest(x, { maxSamples: 2.5 })).toThrow(/maxSamples/)
    expect(() => fitIsolationForest(csrFromDense([], 3))).toThrow(/zero rows/)
  })
})

describe('IsolationForest.fromSnapshot', () => {
  const good = fitIsolationForest(syntheticRows(1), { nEstimators: 3 }).toSnapshot()
  const withTree = (k: number, patch: Partial<TreeSnapshot>): IsolationForestSnapshot => ({
    ...good,
    trees: good.trees.map((t, i) => (i === k ? { ...t, ...patch } : t))
  })

  it('rejects foreign, future or damaged snapshots with a clear error', () => {
    const cases: [unknown, RegExp][] = [
      [{ ...good, kind: 'tfidf' }, /kind is tfidf/],
      [{ ...good, version: 9 }, /version 9/],
      [{ ...good, trees: [] }, /no trees/],
      [{ ...good, trees: good.trees.slice(1) }, /2 trees, settings say 3/],
      [{ ...good, offset: null }, /offset/],
      [withTree(1, { left: [0, ...(good.trees[1]?.left.slice(1) ?? [])] }), /tree 1 node 0: children 0/],
      [withTree(0, { feature: [99, ...(good.trees[0]?.feature.slice(1) ?? [])] }), /feature 99/],
      [withTree(2, { threshold: [1] }), /threshold has 1 entries/],
      [{ ...good, trees: [{ feature: [0] }, ...good.trees.slice(1)] }, /tree 0 has no threshold array/],
      [{ ...good, settings: undefined }, /no settings/],
      [null, /not an object/]
    ]
    for (const [snapshot, message] of cases)
      expect(() => IsolationForest.fromSnapshot(snapshot as IsolationForestSnapshot)).toThrow(message)
  })
})

describe('Prng', () => {
  it('is deterministic and uniform enough', () => {
    const draw = (seed: number): { u: number[]; k: number[] } => {
      const rng = new Prng(seed)
      const u: number[] = []
      const k: number[] = []
      for (let i = 0; i < 20000; i++) {
        u.push(rng.nextDouble())
        k.push(rng.nextBelow(10))
      }
      return { u, k }
    }
    const a = draw(123)
    expect(draw(123)).toEqual(a)
    expect(draw(124).u).not.toEqual(a.u)
    expect(Math.min(...a.u)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...a.u)).toBeLessThan(1)
    expect(a.u.reduce((s, v) => s + v, 0) / a.u.length).toBeCloseTo(0.5, 1)
    const counts = new Array<number>(10).fill(0)
    for (const k of a.k) counts[k] = (counts[k] ?? 0) + 1
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200)
  })
})
