/** The timeline's pure logic: chart data, brush snapping, axis labels and colours. */
import { compactNumber, utcDate, utcTime } from './format.ts'

export interface TimelineData {
  fromTs: number
  bucketMs: number
  lines: number[]
  anomalies: number[]
}

export interface TimeRange {
  fromTs: number
  toTs: number
}

export function hasTimelineData(data: TimelineData | null): data is TimelineData {
  return data !== null && data.lines.length > 0 && data.bucketMs > 0 && Number.isFinite(data.fromTs)
}

/** End of the last bucket. */
export function timelineEnd(data: TimelineData): number {
  return data.fromTs + data.lines.length * data.bucketMs
}

/**
 * uPlot columns: bucket starts (ms) and counts, plus a closing point at the end of the last
 * bucket that repeats its line count, so the stepped series draws the last bucket at full width.
 */
export function chartColumns(data: TimelineData): [number[], number[], number[]] {
  const n = data.lines.length
  const xs = new Array<number>(n + 1)
  const lines = new Array<number>(n + 1)
  const anomalies = new Array<number>(n + 1)
  for (let i = 0; i < n; i++) {
    xs[i] = data.fromTs + i * data.bucketMs
    lines[i] = data.lines[i] ?? 0
    anomalies[i] = data.anomalies[i] ?? 0
  }
  xs[n] = timelineEnd(data)
  lines[n] = lines[n - 1] ?? 0
  // Anomalies are drawn as bars starting at each x: a bar at the closing point would stick out.
  anomalies[n] = 0
  return [xs, lines, anomalies]
}

/**
 * A brushed span (two x values in ms, any order) widened to whole buckets and clamped to the
 * data: the range then covers exactly the bars under the brush. Ends are whole milliseconds.
 */
export function snapToBuckets(data: TimelineData, a: number, b: number): TimeRange {
  const end = timelineEnd(data)
  const lo = Math.max(data.fromTs, Math.min(a, b))
  const hi = Math.min(end, Math.max(a, b))
  const first = Math.max(0, Math.floor((lo - data.fromTs) / data.bucketMs))
  const last = Math.max(first + 1, Math.min(data.lines.length, Math.ceil((hi - data.fromTs) / data.bucketMs)))
  return {
    fromTs: Math.floor(data.fromTs + first * data.bucketMs),
    toTs: Math.ceil(Math.min(end, data.fromTs + last * data.bucketMs))
  }
}

/** Index of the bucket holding `ts`, or -1 outside the data. */
export function bucketAt(data: TimelineData, ts: number): number {
  if (!(ts >= data.fromTs) || ts > timelineEnd(data)) return -1
  return Math.min(data.lines.length - 1, Math.floor((ts - data.fromTs) / data.bucketMs))
}

const second = 1_000
const minute = 60 * second
const day = 24 * 60 * minute

/**
 * x-axis labels in UTC: `15:08`, `15:08:30` or `15:08:30.250` by tick spacing, and the date in
 * front (`11-25 15:08`) on the first tick and wherever the day changes. Whole days: `2026-11-25`.
 */
export function timeAxisLabels(splits: readonly number[], incrMs: number): string[] {
  let previousDay = ''
  return splits.map((ts) => {
    const date = utcDate(ts)
    if (incrMs >= day) {
      previousDay = date
      return date
    }
    const time = incrMs < second ? utcTime(ts, 'always') : incrMs < minute ? utcTime(ts, 'never') : utcTime(ts, 'never').slice(0, 5)
    const label = date !== previousDay ? `${date.slice(5)} ${time}` : time
    previousDay = date
    return label
  })
}

/** y-axis labels: whole counts, compact. */
export function countAxisLabels(splits: readonly number[]): string[] {
  return splits.map((v) => (Number.isInteger(v) ? compactNumber(v) : ''))
}

/** y range with a little headroom; never empty, so a flat-zero series still draws a baseline. */
export function countRange(values: readonly number[]): [number, number] {
  let max = 0
  for (const v of values) if (v > max) max = v
  return [0, max > 0 ? Math.ceil(max * 1.08) : 1]
}

/** Whole-number tick steps for counts. */
export const countIncrs: number[] = (() => {
  const out: number[] = []
  for (let mag = 1; mag <= 1e12; mag *= 10) out.push(mag, 2 * mag, 5 * mag)
  return out
})()

/** `#rrggbb` / `#rgb` with an alpha, as `rgba(…)`; anything else comes back unchanged. */
export function withAlpha(color: string, alpha: number): string {
  const hex = color.trim()
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex)
  if (!m || !m[1]) return hex
  const digits = m[1].length === 3 ? [...m[1]].map((c) => c + c).join('') : m[1]
  const r = parseInt(digits.slice(0, 2), 16)
  const g = parseInt(digits.slice(2, 4), 16)
  const b = parseInt(digits.slice(4, 6), 16)
  return `rgba(${r}, ${g}, ${b}, ${alpha})`
}
