import type { IsolationForestSettings } from './settings.ts'

export const ISOLATION_FOREST_SNAPSHOT_VERSION = 1

/**
 * One tree in scikit-learn's `tree_` layout (same names in camelCase): node 0 is the root,
 * nodes are in depth-first preorder so children come after their parent; a leaf has
 * left = right = -1 and feature = threshold = -2. A tree exported from sklearn
 * (`children_left`, `children_right`, `feature`, `threshold`, `n_node_samples`) loads as is.
 */
export interface TreeSnapshot {
  readonly feature: readonly number[]
  readonly threshold: readonly number[]
  readonly left: readonly number[]
  readonly right: readonly number[]
  readonly nodeSamples: readonly number[]
}

export interface IsolationForestSnapshot {
  readonly kind: 'isolation-forest'
  readonly version: typeof ISOLATION_FOREST_SNAPSHOT_VERSION
  readonly settings: IsolationForestSettings
  /** Columns of the input (the TF-IDF vocabulary size). */
  readonly nFeatures: number
  /** Rows each tree was grown on (sklearn `max_samples_`), which sets the score's scale c(n). */
  readonly maxSamples: number
  /** sklearn `offset_`: decisionFunction = scoreSamples - offset. */
  readonly offset: number
  readonly trees: readonly TreeSnapshot[]
}

/** Checks a snapshot's structure so a corrupt one fails loudly here, never loops in scoring. */
export function validateForestSnapshot(s: IsolationForestSnapshot): void {
  const fail = (why: string): never => {
    throw new Error(`invalid isolation-forest snapshot: ${why}`)
  }
  if (typeof s !== 'object' || s === null) fail('not an object')
  if (s.kind !== 'isolation-forest') fail(`kind is ${String(s.kind)}`)
  if (s.version !== ISOLATION_FOREST_SNAPSHOT_VERSION)
    throw new Error(`unsupported isolation-forest snapshot version ${String(s.version)}`)
  if (typeof s.settings !== 'object' || s.settings === null) fail('no settings')
  if (!Number.isInteger(s.nFeatures) || s.nFeatures < 0) fail(`nFeatures ${String(s.nFeatures)}`)
  if (!Number.isInteger(s.maxSamples) || s.maxSamples < 1) fail(`maxSamples ${String(s.maxSamples)}`)
  if (typeof s.offset !== 'number' || !Number.isFinite(s.offset)) fail(`offset ${String(s.offset)}`)
  if (!Array.isArray(s.trees) || s.trees.length === 0) fail('no trees')
  s.trees.forEach((t, k) => {
    for (const name of ['feature', 'threshold', 'left', 'right', 'nodeSamples'] as const)
      if (!Array.isArray(t[name])) fail(`tree ${k} has no ${name} array`)
    const n = t.feature.length
    if (n === 0) fail(`tree ${k} is empty`)
    for (const [name, a] of [['threshold', t.threshold], ['left', t.left], ['right', t.right], ['nodeSamples', t.nodeSamples]] as const)
      if (a.length !== n) fail(`tree ${k}: ${name} has ${a.length} entries, feature has ${n}`)
    for (let i = 0; i < n; i++) {
      const left = t.left[i]
      const right = t.right[i]
      const size = t.nodeSamples[i]
      if (!Number.isInteger(size) || (size ?? 0) < 0) fail(`tree ${k} node ${i}: nodeSamples ${String(size)}`)
      if (left === -1 && right === -1) continue
      // Children strictly after the parent rule out cycles.
      if (!Number.isInteger(left) || !Number.isInteger(right) || (left ?? 0) <= i || (right ?? 0) <= i || (left ?? 0) >= n || (right ?? 0) >= n)
        fail(`tree ${k} node ${i}: children ${String(left)}, ${String(right)}`)
      const f = t.feature[i]
      if (!Number.isInteger(f) || (f ?? 0) < 0 || (f ?? 0) >= s.nFeatures) fail(`tree ${k} node ${i}: feature ${String(f)}`)
      const th = t.threshold[i]
      if (typeof th !== 'number' || Number.isNaN(th)) fail(`tree ${k} node ${i}: threshold ${String(th)}`)
    }
  })
}
