/**
 * Finds each tree's exit leaf for a sparse row without walking the trees (QuickScorer, Lucchese
 * et al., SIGIR 2015, specialised to sparse rows).
 *
 * A node sends a row right ("false node") when x[f] > threshold, which rules out every leaf of
 * its left subtree; the exit leaf is then the leftmost leaf not ruled out. When no threshold is
 * negative, a zero sends every node left, so only nodes on the row's non-zero features can be
 * false: per feature, nodes are kept sorted by threshold and a row visits just the prefix its
 * value exceeds, clearing leaf ranges in per-tree bitsets. A TF-IDF row has a handful of
 * non-zeros, so this visits far fewer nodes than 100 root-to-leaf walks, without their chain
 * of dependent loads, and it finds the same leaves.
 */
export class SparseExitLeaves {
  readonly #nTrees: number
  /** 32-bit words per tree bitset. */
  readonly #words: number
  /** Per tree (offset by `#leafStart`), its leaves' values in left-to-right order. */
  readonly #leafStart: Int32Array
  readonly #leafValue: Float64Array
  /** Internal nodes grouped by feature (offset by `#byFeature`), by ascending threshold. */
  readonly #byFeature: Int32Array
  readonly #threshold: Float64Array
  /** The left subtree's leaves as a bitset edit: one word (`#word`, `#keep`) or a range. */
  readonly #word: Int32Array
  readonly #keep: Int32Array
  readonly #rangeBase: Int32Array
  readonly #rangeLo: Int32Array
  readonly #rangeHi: Int32Array
  /** Per-row scratch: all trees' leaf bitsets. */
  readonly #bits: Int32Array

  private constructor(
    nTrees: number,
    words: number,
    leafStart: Int32Array,
    leafValue: Float64Array,
    byFeature: Int32Array,
    nodes: readonly InternalNode[]
  ) {
    this.#nTrees = nTrees
    this.#words = words
    this.#leafStart = leafStart
    this.#leafValue = leafValue
    this.#byFeature = byFeature
    const n = nodes.length
    this.#threshold = new Float64Array(n)
    this.#word = new Int32Array(n)
    this.#keep = new Int32Array(n)
    this.#rangeBase = new Int32Array(n)
    this.#rangeLo = new Int32Array(n)
    this.#rangeHi = new Int32Array(n)
    nodes.forEach((node, k) => {
      const { lo, hi } = node
      const first = lo >>> 5
      this.#threshold[k] = node.threshold
      this.#rangeBase[k] = node.tree * words
      this.#rangeLo[k] = lo
      this.#rangeHi[k] = hi
      if (first === (hi - 1) >>> 5) {
        const a = lo & 31
        this.#word[k] = node.tree * words + first
        this.#keep[k] = ~(lowMask(a + hi - lo) & ~lowMask(a))
      } else this.#word[k] = -1
    })
    this.#bits = new Int32Array(nTrees * words)
  }

  /**
   * Indexes flat trees (feature < 0 marks a leaf; children are absolute node ids) whose leaves
   * carry `leafValue`. Returns null when some threshold is negative or NaN: a zero could then
   * go right, so callers must walk.
   */
  static build(
    nFeatures: number,
    roots: Int32Array,
    feature: Int32Array,
    threshold: Float64Array,
    left: Int32Array,
    right: Int32Array,
    leafValue: Float64Array
  ): SparseExitLeaves | null {
    const nTrees = roots.length - 1
    const leafStart = new Int32Array(nTrees + 1)
    const leaves: number[] = []
    const nodes: InternalNode[] = []
    let maxLeaves = 1
    for (let tree = 0; tree < nTrees; tree++) {
      const first = leaves.length
      leafStart[tree] = first
      // Depth-first, left first: leaves come out left to right, every subtree a contiguous range.
      const visit = (node: number): void => {
        const f = feature[node] ?? -1
        if (f < 0) {
          leaves.push(leafValue[node] ?? 0)
          return
        }
        const lo = leaves.length - first
        visit(left[node] ?? 0)
        nodes.push({ feature: f, threshold: threshold[node] ?? 0, tree, lo, hi: leaves.length - first })
        visit(right[node] ?? 0)
      }
      visit(roots[tree] ?? 0)
      maxLeaves = Math.max(maxLeaves, leaves.length - first)
    }
    leafStart[nTrees] = leaves.length
    if (nodes.some((n) => !(n.threshold >= 0))) return null

    nodes.sort((a, b) => a.feature - b.feature || a.threshold - b.threshold || a.tree - b.tree)
    const byFeature = new Int32Array(nFeatures + 1)
    for (const n of nodes) byFeature[n.feature + 1] = (byFeature[n.feature + 1] ?? 0) + 1
    for (let f = 0; f < nFeatures; f++) byFeature[f + 1] = (byFeature[f + 1] ?? 0) + (byFeature[f] ?? 0)
    return new SparseExitLeaves(nTrees, Math.ceil(maxLeaves / 32), leafStart, Float64Array.from(leaves), byFeature, nodes)
  }

  /**
   * Σ over trees, in tree order, of the exit leaf's value for the row stored at
   * indices/data[start, end) (float32 comparisons, like sklearn's trees).
   */
  sumLeafValues(indices: ArrayLike<number>, data: ArrayLike<number>, start: number, end: number): number {
    const bits = this.#bits
    const byFeature = this.#byFeature
    const threshold = this.#threshold
    const word = this.#word
    const keep = this.#keep
    // Resetting every bitset is cheaper than tracking the touched ones (no branch per node).
    bits.fill(-1)
    for (let p = start; p < end; p++) {
      const f = indices[p] ?? 0
      const x = Math.fround(data[p] ?? 0)
      const stop = byFeature[f + 1] ?? 0
      for (let k = byFeature[f] ?? 0; k < stop; k++) {
        // Thresholds ascend: once x <= t the rest are true nodes too (NaN clears all, like a walk).
        if (x <= (threshold[k] ?? 0)) break
        const w = word[k] ?? -1
        if (w >= 0) bits[w] = (bits[w] ?? 0) & (keep[k] ?? 0)
        else clearRange(bits, this.#rangeBase[k] ?? 0, this.#rangeLo[k] ?? 0, this.#rangeHi[k] ?? 0)
      }
    }
    const words = this.#words
    const leafStart = this.#leafStart
    const leafValue = this.#leafValue
    let sum = 0
    if (words === 1) {
      for (let t = 0; t < this.#nTrees; t++) {
        const m = bits[t] ?? 0
        sum += leafValue[(leafStart[t] ?? 0) + 31 - Math.clz32(m & -m)] ?? 0
      }
      return sum
    }
    for (let t = 0; t < this.#nTrees; t++) {
      let ordinal = 0
      for (let w = 0, base = t * words; w < words; w++) {
        const m = bits[base + w] ?? 0
        if (m !== 0) {
          ordinal = w * 32 + 31 - Math.clz32(m & -m)
          break
        }
      }
      sum += leafValue[(leafStart[t] ?? 0) + ordinal] ?? 0
    }
    return sum
  }
}

interface InternalNode {
  readonly feature: number
  readonly threshold: number
  readonly tree: number
  /** Leaves of the left subtree: ordinals [lo, hi) within the tree. */
  readonly lo: number
  readonly hi: number
}

/** Bits 0..n-1 set, for n in 0..32. */
function lowMask(n: number): number {
  return n >= 32 ? -1 : (1 << n) - 1
}

/** Clears bits [lo, hi) of the bitset starting at word `base`. */
function clearRange(bits: Int32Array, base: number, lo: number, hi: number): void {
  const first = lo >>> 5
  const last = (hi - 1) >>> 5
  const a = lo & 31
  if (first === last) {
    const b = a + (hi - lo)
    bits[base + first] = (bits[base + first] ?? 0) & ~(lowMask(b) & ~lowMask(a))
    return
  }
  bits[base + first] = (bits[base + first] ?? 0) & lowMask(a)
  for (let w = first + 1; w < last; w++) bits[base + w] = 0
  bits[base + last] = (bits[base + last] ?? 0) & ~lowMask(hi - 32 * last)
}
