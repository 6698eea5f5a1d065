import type { CsrMatrix, SparseRow } from '../tfidf/csr.ts'
import { TREE_LEAF, TreeGrower } from './grow-tree.ts'
import type { GrownTree, TrainingRows } from './grow-tree.ts'
import { averagePathLength } from './path-length.ts'
import { percentile } from './percentile.ts'
import { Prng } from './prng.ts'
import { SparseExitLeaves } from './sparse-exit-leaves.ts'
import { resolveIsolationForestSettings } from './settings.ts'
import type { IsolationForestSettings } from './settings.ts'
import { ISOLATION_FOREST_SNAPSHOT_VERSION, validateForestSnapshot } from './snapshot.ts'
import type { IsolationForestSnapshot, TreeSnapshot } from './snapshot.ts'

/** Rows per deduplication table in `scoreSamples` (table: 4 MB of Int32). */
const DEDUPE_CHUNK = 1 << 19

/**
 * A fitted Isolation Forest with scikit-learn's scoring semantics.
 *
 * Sign convention (sklearn's, kept so numbers compare with it): `scoreSamples` is the opposite
 * of the paper's anomaly score, in [-1, 0): lower = more abnormal. `decisionFunction` is
 * `scoreSamples - offset`: positive = normal, negative = anomalous; `predict` is +1 / -1.
 *
 * Trees live in flat typed arrays (all trees end to end, children as absolute node indices);
 * each leaf stores its whole path contribution, depth + c(leaf size), so scoring a row is
 * finding one leaf per tree and adding. Leaves are found from the row's non-zeros alone
 * (`SparseExitLeaves`) when no threshold is negative, as with TF-IDF; otherwise by walking.
 */
export class IsolationForest {
  readonly settings: IsolationForestSettings
  readonly nFeatures: number
  /** Rows per tree (sklearn `max_samples_`). */
  readonly maxSamples: number
  /** sklearn `offset_`. */
  readonly offset: number
  readonly #roots: Int32Array
  readonly #feature: Int32Array
  readonly #threshold: Float64Array
  readonly #left: Int32Array
  readonly #right: Int32Array
  readonly #nodeSamples: Int32Array
  /** Per leaf: (depth + 1) + c(leaf size) - 1, as sklearn sums it; 0 on inner nodes. */
  readonly #leafPath: Float64Array
  /** n_trees · c(max_samples): the normaliser of the mean path length. */
  readonly #denominator: number
  /** One dense row, float32 as sklearn's trees compare, zero between uses (walking path). */
  readonly #dense: Float32Array
  /** Exit leaves from a row's non-zeros alone; null when a threshold is negative. */
  readonly #exitLeaves: SparseExitLeaves | null

  private constructor(
    settings: IsolationForestSettings,
    nFeatures: number,
    maxSamples: number,
    trees: readonly TreeSnapshot[],
    offset: number
  ) {
    this.settings = settings
    this.nFeatures = nFeatures
    this.maxSamples = maxSamples
    let total = 0
    for (const t of trees) total += t.feature.length
    this.#roots = new Int32Array(trees.length + 1)
    this.#feature = new Int32Array(total)
    this.#threshold = new Float64Array(total)
    this.#left = new Int32Array(total)
    this.#right = new Int32Array(total)
    this.#nodeSamples = new Int32Array(total)
    this.#leafPath = new Float64Array(total)
    const depth = new Int32Array(total)
    let base = 0
    trees.forEach((t, k) => {
      this.#roots[k] = base
      const n = t.feature.length
      for (let i = 0; i < n; i++) {
        const g = base + i
        const left = t.left[i] ?? TREE_LEAF
        const size = t.nodeSamples[i] ?? 0
        this.#nodeSamples[g] = size
        if (left === TREE_LEAF) {
          this.#feature[g] = -1
          this.#left[g] = TREE_LEAF
          this.#right[g] = TREE_LEAF
          this.#threshold[g] = t.threshold[i] ?? 0
          // sklearn: node_indicator.sum (nodes on the path = depth + 1) + c(n_leaf) - 1.0
          this.#leafPath[g] = (depth[g] ?? 0) + 1 + averagePathLength(size) - 1.0
        } else {
          const right = t.right[i] ?? TREE_LEAF
          this.#feature[g] = t.feature[i] ?? 0
          this.#threshold[g] = t.threshold[i] ?? 0
          this.#left[g] = base + left
          this.#right[g] = base + right
          depth[base + left] = (depth[g] ?? 0) + 1
          depth[base + right] = (depth[g] ?? 0) + 1
        }
      }
      base += n
    })
    this.#roots[trees.length] = base
    this.#denominator = trees.length * averagePathLength(maxSamples)
    this.#dense = new Float32Array(nFeatures)
    this.#exitLeaves = SparseExitLeaves.build(
      nFeatures,
      this.#roots,
      this.#feature,
      this.#threshold,
      this.#left,
      this.#right,
      this.#leafPath
    )
    this.offset = offset
  }

  get nEstimators(): number {
    return this.#roots.length - 1
  }

  /** Total nodes over all trees. */
  get nNodes(): number {
    return this.#feature.length
  }

  /** See `fitIsolationForest`. */
  static fit(x: CsrMatrix, settings?: Partial<IsolationForestSettings>): IsolationForest {
    const s = resolveIsolationForestSettings(settings)
    const rows = toTrainingRows(x)
    const n = rows.nRows
    if (n === 0) throw new Error('cannot fit an isolation forest on zero rows')
    const maxSamples = s.maxSamples === 'auto' ? Math.min(256, n) : Math.min(s.maxSamples, n)
    let maxDepth = 0
    while (2 ** maxDepth < Math.max(maxSamples, 2)) maxDepth++ // ceil(log2(max(maxSamples, 2)))

    const master = new Prng(s.randomSeed)
    const grower = new TreeGrower(rows, maxDepth)
    const trees: GrownTree[] = []
    for (let t = 0; t < s.nEstimators; t++) {
      const rng = new Prng(master.nextUint32())
      trees.push(grower.grow(sampleWithoutReplacement(n, maxSamples, rng), rng))
    }
    const unplaced = new IsolationForest(s, rows.nCols, maxSamples, trees, -0.5)
    if (s.contamination === 'auto') return unplaced
    const offset = percentile(unplaced.scoreSamples(x), 100.0 * s.contamination)
    return new IsolationForest(s, rows.nCols, maxSamples, trees, offset)
  }

  /**
   * sklearn `score_samples`: -2^(-E[h(x)] / c(max_samples)); lower = more abnormal.
   * Masked log lines repeat a lot, so rows are deduplicated first (hash of columns and value
   * bits, confirmed by comparison): each distinct row goes through the trees once and
   * its repeats copy the score, which is bit-identical to scoring them again.
   */
  scoreSamples(x: CsrMatrix): Float64Array {
    this.#checkColumns(x.nCols)
    const n = x.nRows
    const out = new Float64Array(n)
    const { indptr, indices, data } = x
    const bits = new Int32Array(data.buffer, data.byteOffset, data.length * 2)
    // Repeats are found within chunks, so the table stays small however long the batch.
    let capacity = 16
    while (capacity < 2 * n && capacity < 2 * DEDUPE_CHUNK) capacity *= 2
    const mask = capacity - 1
    const table = new Int32Array(capacity)
    const hashes = new Int32Array(Math.min(n, DEDUPE_CHUNK))
    for (let from = 0; from < n; from += DEDUPE_CHUNK) {
      const to = Math.min(n, from + DEDUPE_CHUNK)
      table.fill(-1)
      for (let i = from; i < to; i++) {
        const start = indptr[i] ?? 0
        const end = indptr[i + 1] ?? 0
        let h = Math.imul(end - start, 0x9e3779b1)
        for (let p = start; p < end; p++) {
          h = Math.imul(h ^ (indices[p] ?? 0), 0x85ebca6b)
          h = Math.imul(h ^ (bits[2 * p] ?? 0), 0xc2b2ae35)
          h = Math.imul(h ^ (bits[2 * p + 1] ?? 0), 0x27d4eb2f)
          h ^= h >>> 15
        }
        hashes[i - from] = h
        for (let slot = h & mask; ; slot = (slot + 1) & mask) {
          const j = table[slot] ?? -1
          if (j < 0) {
            table[slot] = i
            out[i] = this.#scoreSparse(indices, data, start, end)
            break
          }
          if (hashes[j - from] === h && sameRow(indptr, indices, bits, i, j)) {
            out[i] = out[j] ?? 0
            break
          }
        }
      }
    }
    return out
  }

  /** sklearn `decision_function`: scoreSamples - offset; negative = anomalous. */
  decisionFunction(x: CsrMatrix): Float64Array {
    const out = this.scoreSamples(x)
    for (let i = 0; i < out.length; i++) out[i] = (out[i] ?? 0) - this.offset
    return out
  }

  /** sklearn `predict`: -1 where decisionFunction < 0 (outlier), else +1. */
  predict(x: CsrMatrix): Int8Array {
    const d = this.decisionFunction(x)
    const out = new Int8Array(d.length)
    for (let i = 0; i < d.length; i++) out[i] = (d[i] ?? 0) < 0 ? -1 : 1
    return out
  }

  /** `scoreSamples` of one sparse row (columns must be < nFeatures). */
  scoreRow(row: SparseRow): number {
    return this.#scoreSparse(row.indices, row.data, 0, row.indices.length)
  }

  /** `decisionFunction` of one sparse row. */
  decisionRow(row: SparseRow): number {
    return this.scoreRow(row) - this.offset
  }

  /** The same forest with the threshold set for another contamination, given rows to place it on. */
  withContamination(contamination: 'auto' | number, x: CsrMatrix): IsolationForest {
    const s = resolveIsolationForestSettings({ ...this.settings, contamination })
    const trees = this.toSnapshot().trees
    const offset = contamination === 'auto' ? -0.5 : percentile(this.scoreSamples(x), 100.0 * contamination)
    return new IsolationForest(s, this.nFeatures, this.maxSamples, trees, offset)
  }

  toSnapshot(): IsolationForestSnapshot {
    const trees: TreeSnapshot[] = []
    for (let k = 0; k < this.nEstimators; k++) {
      const from = this.#roots[k] ?? 0
      const to = this.#roots[k + 1] ?? 0
      const local = (g: number): number => (g === TREE_LEAF ? TREE_LEAF : g - from)
      const feature: number[] = []
      const threshold: number[] = []
      const left: number[] = []
      const right: number[] = []
      for (let g = from; g < to; g++) {
        const leaf = (this.#feature[g] ?? -1) < 0
        feature.push(leaf ? -2 : (this.#feature[g] ?? 0))
        threshold.push(this.#threshold[g] ?? 0)
        left.push(local(this.#left[g] ?? TREE_LEAF))
        right.push(local(this.#right[g] ?? TREE_LEAF))
      }
      trees.push({ feature, threshold, left, right, nodeSamples: Array.from(this.#nodeSamples.subarray(from, to)) })
    }
    return {
      kind: 'isolation-forest',
      version: ISOLATION_FOREST_SNAPSHOT_VERSION,
      settings: { ...this.settings },
      nFeatures: this.nFeatures,
      maxSamples: this.maxSamples,
      offset: this.offset,
      trees
    }
  }

  static fromSnapshot(snapshot: IsolationForestSnapshot): IsolationForest {
    validateForestSnapshot(snapshot)
    const settings = resolveIsolationForestSettings(snapshot.settings)
    if (snapshot.trees.length !== settings.nEstimators)
      throw new Error(`invalid isolation-forest snapshot: ${snapshot.trees.length} trees, settings say ${settings.nEstimators}`)
    return new IsolationForest(settings, snapshot.nFeatures, snapshot.maxSamples, snapshot.trees, snapshot.offset)
  }

  #checkColumns(nCols: number): void {
    if (nCols !== this.nFeatures)
      throw new Error(`X has ${nCols} features, but the isolation forest was fitted with ${this.nFeatures}`)
  }

  #scoreSparse(indices: ArrayLike<number>, data: ArrayLike<number>, start: number, end: number): number {
    const depths =
      this.#exitLeaves !== null
        ? this.#exitLeaves.sumLeafValues(indices, data, start, end)
        : this.#walk(indices, data, start, end)
    // sklearn: 2 ** -(depths / denominator), with the ratio taken as 1 when the denominator is 0.
    const ratio = this.#denominator !== 0 ? depths / this.#denominator : 1
    return -(2 ** -ratio)
  }

  /** Σ over trees of the exit leaf's path length, by walking each tree from its root. */
  #walk(indices: ArrayLike<number>, data: ArrayLike<number>, start: number, end: number): number {
    const dense = this.#dense
    for (let p = start; p < end; p++) dense[indices[p] ?? 0] = data[p] ?? 0
    const feature = this.#feature
    const threshold = this.#threshold
    const left = this.#left
    const right = this.#right
    const leafPath = this.#leafPath
    const roots = this.#roots
    const nTrees = roots.length - 1
    let depths = 0
    for (let t = 0; t < nTrees; t++) {
      let node = roots[t] ?? 0
      let f = feature[node] ?? -1
      while (f >= 0) {
        node = (dense[f] ?? 0) <= (threshold[node] ?? 0) ? (left[node] ?? 0) : (right[node] ?? 0)
        f = feature[node] ?? -1
      }
      depths += leafPath[node] ?? 0
    }
    for (let p = start; p < end; p++) dense[indices[p] ?? 0] = 0
    return depths
  }

  /** Test hook: whether scoring uses the sparse exit-leaf index (false: tree walks). */
  get usesSparseExitLeaves(): boolean {
    return this.#exitLeaves !== null
  }
}

/**
 * Fits an Isolation Forest on sparse rows (e.g. TF-IDF), as sklearn's
 * `IsolationForest(...).fit(X)` does, and places `offset` from `contamination`.
 */
export function fitIsolationForest(x: CsrMatrix, settings?: Partial<IsolationForestSettings>): IsolationForest {
  return IsolationForest.fit(x, settings)
}

/** Rows i and j store the same columns with bit-identical values. */
function sameRow(indptr: Int32Array, indices: Int32Array, bits: Int32Array, i: number, j: number): boolean {
  const a = indptr[i] ?? 0
  const b = indptr[j] ?? 0
  const len = (indptr[i + 1] ?? 0) - a
  if ((indptr[j + 1] ?? 0) - b !== len) return false
  for (let k = 0; k < len; k++) {
    if (indices[a + k] !== indices[b + k]) return false
    if (bits[2 * (a + k)] !== bits[2 * (b + k)] || bits[2 * (a + k) + 1] !== bits[2 * (b + k) + 1]) return false
  }
  return true
}

/** float32 values and sorted columns per row, as sklearn's trees see X. */
function toTrainingRows(x: CsrMatrix): TrainingRows {
  const indptr = Int32Array.from(x.indptr)
  const indices = Int32Array.from(x.indices)
  const values = Float32Array.from(x.data)
  for (let r = 0; r < x.nRows; r++) {
    const start = indptr[r] ?? 0
    const end = indptr[r + 1] ?? 0
    let sorted = true
    for (let p = start + 1; p < end; p++) if ((indices[p] ?? 0) <= (indices[p - 1] ?? 0)) sorted = false
    if (sorted) continue
    const order = Array.from({ length: end - start }, (_, k) => start + k).sort((a, b) => (indices[a] ?? 0) - (indices[b] ?? 0))
    const cols = order.map((p) => indices[p] ?? 0)
    const vals = order.map((p) => values[p] ?? 0)
    for (let k = 1; k < cols.length; k++)
      if (cols[k] === cols[k - 1]) throw new Error(`row ${r} stores column ${String(cols[k])} twice`)
    indices.set(cols, start)
    values.set(vals, start)
  }
  for (const c of indices) if (c < 0 || c >= x.nCols) throw new Error(`column index ${c} outside 0..${x.nCols - 1}`)
  return { nRows: x.nRows, nCols: x.nCols, indptr, indices, values }
}

/** k distinct row indices out of n (Floyd's algorithm: O(k) whatever n). */
function sampleWithoutReplacement(n: number, k: number, rng: Prng): Int32Array {
  const out = new Int32Array(k)
  if (k === n) {
    for (let i = 0; i < n; i++) out[i] = i
    return out
  }
  const chosen = new Set<number>()
  let at = 0
  for (let j = n - k; j < n; j++) {
    const t = rng.nextBelow(j + 1)
    const pick = chosen.has(t) ? j : t
    chosen.add(pick)
    out[at++] = pick
  }
  return out
}
