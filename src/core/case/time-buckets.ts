/** Lines and anomalies per time bucket, for the timeline. */
import type { LineIndex } from './line-index.ts'

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
  const { ts, scores } = index
  for (const block of index.blocks) {
    if (!(block.maxTs >= fromTs && block.minTs <= toTs)) continue
    const end = block.start + block.count
    const b = bucketOf(block.minTs)
    // Most blocks span a sliver of time and fall in one bucket: count their lines wholesale.
    if (block.minTs >= fromTs && block.maxTs <= toTs && b === bucketOf(block.maxTs) && block.maxScore < anomalyScore) {
      lines[b] = (lines[b] as number) + block.timed
      continue
    }
    for (let i = block.start; i < end; i++) {
      const t = ts[i] as number
      if (!(t >= fromTs && t <= toTs)) continue
      const k = bucketOf(t)
      lines[k] = (lines[k] as number) + 1
      if ((scores[i] as number) >= anomalyScore) anomalies[k] = (anomalies[k] as number) + 1
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
