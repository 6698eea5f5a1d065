/**
 * Lines and anomalies per time bucket, for the timeline. Lines are physical lines; anomalies are
 * flagged records (a flagged stack trace counts once, as in the anomalies table and the case bar).
 */
import { lineFlag } from './block-codec.ts'
import type { BlockSummary, LineIndex } from './line-index.ts'

export interface TimeBuckets {
  fromTs: number
  bucketMs: number
  lines: Uint32Array
  anomalies: Uint32Array
}

export function timeBuckets(index: LineIndex, fromTs: number, toTs: number, buckets: number, anomalyScore: number): TimeBuckets {
  const span = Math.max(1, toTs - fromTs)
  const bucketMs = span / buckets
  const lines = new Uint32Array(buckets)
  const anomalies = new Uint32Array(buckets)
  const bucketOf = (t: number): number => Math.min(buckets - 1, Math.floor((t - fromTs) / bucketMs))
  const { ts, scores, flags } = index
  const flagged = anomalyCounts(index, anomalyScore)
  for (let slot = 0; slot < index.blocks.length; slot++) {
    const block = index.blocks[slot] as BlockSummary
    if (!(block.maxTs >= fromTs && block.minTs <= toTs)) continue
    const end = block.start + block.count
    const b = bucketOf(block.minTs)
    // Most blocks span a sliver of time and fall in one bucket: count their lines (and, from
    // the per-block counts, their anomalies) wholesale.
    if (block.minTs >= fromTs && block.maxTs <= toTs && b === bucketOf(block.maxTs)) {
      lines[b] = (lines[b] as number) + block.timed
      anomalies[b] = (anomalies[b] as number) + (flagged[slot] as number)
      continue
    }
    for (let i = block.start; i < end; i++) {
      const t = ts[i] as number
      if (!(t >= fromTs && t <= toTs)) continue
      const k = bucketOf(t)
      lines[k] = (lines[k] as number) + 1
      if ((scores[i] as number) >= anomalyScore && ((flags[i] as number) & lineFlag.continuation) === 0) anomalies[k] = (anomalies[k] as number) + 1
    }
  }
  return { fromTs, bucketMs, lines, anomalies }
}

/** First and last timestamp in the index, or null when no line has one. */
export function timeRange(index: LineIndex): { min: number; max: number } | null {
  let min = Number.POSITIVE_INFINITY
  let max = Number.NEGATIVE_INFINITY
  for (const block of index.blocks) {
    if (block.minTs < min) min = block.minTs
    if (block.maxTs > max) max = block.maxTs
  }
  return min === Number.POSITIVE_INFINITY ? null : { min, max }
}

const flaggedCache = new WeakMap<LineIndex, { score: number; version: number; counts: Int32Array }>()

/**
 * Records with a timestamp scoring at least `score`, per block: one pass over the scores, kept
 * until the index changes or another threshold is asked for (the viewer keeps asking with the same one).
 */
function anomalyCounts(index: LineIndex, score: number): Int32Array {
  const cached = flaggedCache.get(index)
  if (cached && cached.score === score && cached.version === index.version) return cached.counts
  const counts = new Int32Array(index.blocks.length)
  const { scores, ts, flags } = index
  index.blocks.forEach((block, slot) => {
    if (block.maxScore < score) return
    let n = 0
    // Head lines with a timestamp only: the others are in no bucket, or part of a record counted already.
    for (let i = block.start; i < block.start + block.count; i++) {
      if ((scores[i] as number) >= score && ts[i] === ts[i] && ((flags[i] as number) & lineFlag.continuation) === 0) n++
    }
    counts[slot] = n
  })
  flaggedCache.set(index, { score, version: index.version, counts })
  return counts
}
