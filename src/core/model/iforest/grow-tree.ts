import type { Prng } from './prng.ts'

/** sklearn's `FEATURE_THRESHOLD`: a feature whose range in a node is at most this is constant. */
const FEATURE_THRESHOLD = 1e-7

/** sklearn's `TREE_LEAF` (children of a leaf) and `TREE_UNDEFINED` (feature/threshold of a leaf). */
export const TREE_LEAF = -1
export const TREE_UNDEFINED = -2

/**
 * Training rows in CSR form with float32 values and increasing column indices per row: the form
 * sklearn's trees see (`IsolationForest.fit` converts X to float32).
 */
export interface TrainingRows {
  readonly nRows: number
  readonly nCols: number
  readonly indptr: Int32Array
  readonly indices: Int32Array
  readonly values: Float32Array
}

/** One grown tree in sklearn's layout: nodes in depth-first preorder, children after parents. */
export interface GrownTree {
  readonly feature: number[]
  readonly threshold: number[]
  readonly left: number[]
  readonly right: number[]
  readonly nodeSamples: number[]
}

/**
 * Grows isolation trees the way sklearn's `ExtraTreeRegressor(max_features=1,
 * splitter='random', max_depth=ceil(log2(max_samples)))` does inside `IsolationForest`:
 * a node becomes a leaf at max depth, with fewer than two rows, or when every feature is
 * constant on its rows; otherwise it splits on a feature drawn uniformly among the non-constant
 * ones, at a threshold drawn uniformly in [min, max) of that feature over the node's rows
 * (implicit zeros included), rows with `value <= threshold` going left.
 *
 * sklearn finds "a non-constant feature" by drawing features without replacement until one is
 * not constant, which is the same uniform choice; we list the non-constant ones directly from
 * the node's non-zeros, so the cost per node is its number of stored values, not the
 * vocabulary size.
 */
export class TreeGrower {
  readonly #x: TrainingRows
  readonly #maxDepth: number
  // Per-feature scratch for one node: stamp says whether the other entries belong to it.
  readonly #stamp: Int32Array
  readonly #count: Int32Array
  readonly #min: Float64Array
  readonly #max: Float64Array
  readonly #candidates: Int32Array
  #node = 0
  #samples: Int32Array = new Int32Array(0)
  #rng: Prng | null = null
  #tree: GrownTree = emptyTree()

  constructor(x: TrainingRows, maxDepth: number) {
    this.#x = x
    this.#maxDepth = maxDepth
    this.#stamp = new Int32Array(x.nCols).fill(-1)
    this.#count = new Int32Array(x.nCols)
    this.#min = new Float64Array(x.nCols)
    this.#max = new Float64Array(x.nCols)
    this.#candidates = new Int32Array(x.nCols)
  }

  /** Grows one tree on the given rows (the array is reordered in place). */
  grow(samples: Int32Array, rng: Prng): GrownTree {
    this.#samples = samples
    this.#rng = rng
    this.#tree = emptyTree()
    this.#build(0, samples.length, 0)
    const tree = this.#tree
    this.#tree = emptyTree()
    this.#rng = null
    return tree
  }

  #build(start: number, end: number, depth: number): number {
    const tree = this.#tree
    const id = tree.feature.length
    const n = end - start
    tree.feature.push(TREE_UNDEFINED)
    tree.threshold.push(TREE_UNDEFINED)
    tree.left.push(TREE_LEAF)
    tree.right.push(TREE_LEAF)
    tree.nodeSamples.push(n)
    if (depth >= this.#maxDepth || n < 2) return id

    const nCandidates = this.#nonConstantFeatures(start, end)
    if (nCandidates === 0) return id
    const rng = this.#rng
    if (rng === null) throw new Error('TreeGrower used outside grow()')
    const f = this.#candidates[rng.nextBelow(nCandidates)] ?? 0
    const lo = this.#min[f] ?? 0
    const hi = this.#max[f] ?? 0
    // sklearn's rand_uniform(min, max), then its guard against landing on max.
    let threshold = (hi - lo) * rng.nextDouble() + lo
    if (threshold === hi) threshold = lo

    const pos = this.#partition(start, end, f, threshold)
    // sklearn rejects a split leaving a side empty (min_samples_leaf = 1); with max_features = 1
    // the node then stays a leaf. Cannot happen for a threshold in [min, max).
    if (pos === start || pos === end) return id

    tree.feature[id] = f
    tree.threshold[id] = threshold
    tree.left[id] = this.#build(start, pos, depth + 1)
    tree.right[id] = this.#build(pos, end, depth + 1)
    return id
  }

  /** Fills `#candidates` with the features not constant on samples[start, end); returns how many. */
  #nonConstantFeatures(start: number, end: number): number {
    const { indptr, indices, values } = this.#x
    const samples = this.#samples
    const stamp = this.#stamp
    const count = this.#count
    const min = this.#min
    const max = this.#max
    const candidates = this.#candidates
    const node = this.#node++
    let touched = 0
    for (let s = start; s < end; s++) {
      const r = samples[s] ?? 0
      const rowEnd = indptr[r + 1] ?? 0
      for (let p = indptr[r] ?? 0; p < rowEnd; p++) {
        const f = indices[p] ?? 0
        const v = values[p] ?? 0
        if (stamp[f] !== node) {
          stamp[f] = node
          count[f] = 1
          min[f] = v
          max[f] = v
          candidates[touched++] = f
        } else {
          count[f] = (count[f] ?? 0) + 1
          if (v < (min[f] ?? 0)) min[f] = v
          else if (v > (max[f] ?? 0)) max[f] = v
        }
      }
    }
    const n = end - start
    let kept = 0
    for (let k = 0; k < touched; k++) {
      const f = candidates[k] ?? 0
      let lo = min[f] ?? 0
      let hi = max[f] ?? 0
      if ((count[f] ?? 0) < n) {
        // Rows without a stored value hold an implicit zero.
        if (lo > 0) lo = 0
        if (hi < 0) hi = 0
        min[f] = lo
        max[f] = hi
      }
      if (hi > lo + FEATURE_THRESHOLD) candidates[kept++] = f
    }
    // Features seen in no row of the node are zero everywhere there: constant.
    return kept
  }

  /** Reorders samples[start, end) so rows with x[r, f] <= threshold come first; returns the split. */
  #partition(start: number, end: number, f: number, threshold: number): number {
    const samples = this.#samples
    let p = start
    let q = end
    while (p < q) {
      const r = samples[p] ?? 0
      if (this.#value(r, f) <= threshold) p++
      else {
        q--
        samples[p] = samples[q] ?? 0
        samples[q] = r
      }
    }
    return q
  }

  /** x[r, f] by binary search in the row's sorted columns. */
  #value(r: number, f: number): number {
    const { indptr, indices, values } = this.#x
    let lo = indptr[r] ?? 0
    let hi = (indptr[r + 1] ?? 0) - 1
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1
      const c = indices[mid] ?? 0
      if (c < f) lo = mid + 1
      else if (c > f) hi = mid - 1
      else return values[mid] ?? 0
    }
    return 0
  }
}

function emptyTree(): GrownTree {
  return { feature: [], threshold: [], left: [], right: [], nodeSamples: [] }
}
