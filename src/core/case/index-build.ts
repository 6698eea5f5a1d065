/** What a background index build (the trigram bitmaps, the line shapes) takes and reports. */
export interface BuildProgress {
  blocksDone: number
  blocksTotal: number
}

export interface BuildOptions {
  batchBlocks?: number
  /** Return after this many transactions (with `more` set when blocks are left). */
  maxBatches?: number
  shouldStop?: () => boolean
  onProgress?: (progress: BuildProgress) => void
}

export interface BuildResult {
  blocksIndexed: number
  ms: number
  more: boolean
}

/** Where a build's blocks come from: how many in all, the next pending ones after a block, how many done. */
export interface PendingBlocks<Row extends { block_no: number }> {
  total: number
  pending: (after: number, limit: number) => Row[]
  done: () => number
}

/**
 * Indexes the pending blocks a batch at a time (`index` writes one batch, in a transaction of its
 * own), until none are left or the build is told to stop; reports progress after each batch.
 */
export function buildInBatches<Row extends { block_no: number }>(options: BuildOptions, blocks: PendingBlocks<Row>, index: (rows: Row[]) => void): BuildResult {
  const started = performance.now()
  let after = -1
  let indexed = 0
  let batches = 0
  let more = true
  for (;;) {
    if (options.shouldStop?.() || batches++ === (options.maxBatches ?? Number.POSITIVE_INFINITY)) break
    const rows = blocks.pending(after, options.batchBlocks ?? 64)
    if (rows.length === 0) {
      more = false
      break
    }
    index(rows)
    indexed += rows.length
    after = (rows.at(-1) as Row).block_no
    options.onProgress?.({ blocksDone: blocks.done(), blocksTotal: blocks.total })
  }
  return { blocksIndexed: indexed, ms: performance.now() - started, more }
}
