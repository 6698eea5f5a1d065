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
