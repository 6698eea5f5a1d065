/** Number and UTC time formatting shared by the templates panel, the timeline and the filter chips. */

const grouped = new Intl.NumberFormat('en-US')

/** `1234567` → `1,234,567`; below ten million the exact count still fits a narrow column. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '–'
  if (Math.abs(n) >= 10_000_000) return compactNumber(n)
  return grouped.format(n)
}

/** Short axis-style numbers: `950`, `1.2k`, `12k`, `3.4M`, `1.1B`. */
export function compactNumber(n: number): string {
  if (!Number.isFinite(n)) return '–'
  const sign = n < 0 ? '-' : ''
  const a = Math.abs(n)
  if (a < 1_000) return sign + String(Math.round(a * 100) / 100)
  for (const [size, suffix] of [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k']
  ] as const) {
    if (a >= size) {
      const v = a / size
      // Rounding may carry into the next unit (999,950 → "1000k"): promote it.
      const text = v < 10 ? trimZeros(v.toFixed(1)) : String(Math.round(v))
      if (text === '1000' && suffix !== 'B') return sign + (suffix === 'k' ? '1M' : '1B')
      return sign + text + suffix
    }
  }
  return sign + String(a)
}

function trimZeros(text: string): string {
  return text.endsWith('.0') ? text.slice(0, -2) : text
}

/** Share of all lines, precise for rare templates and short for common ones. */
export function formatShare(count: number, total: number): string {
  if (!(total > 0) || !Number.isFinite(count)) return '–'
  const pct = (count / total) * 100
  if (pct === 0) return '0%'
  if (pct < 0.01) return '<0.01%'
  if (pct < 1) return `${pct.toFixed(2)}%`
  if (pct < 10) return `${pct.toFixed(1)}%`
  return `${Math.round(pct)}%`
}

/** Scores in the UI: two decimals (`0.50`). */
export function formatScore(score: number): string {
  return score.toFixed(2)
}

const pad2 = (n: number): string => String(n).padStart(2, '0')
const pad3 = (n: number): string => String(n).padStart(3, '0')

/** `2026-11-25` (UTC). */
export function utcDate(ts: number): string {
  const d = new Date(ts)
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`
}

/** `15:08:00`, or `15:08:00.250` when the milliseconds are not zero (UTC). */
export function utcTime(ts: number, withMs: 'auto' | 'always' | 'never' = 'auto'): string {
  const d = new Date(Math.round(ts))
  const base = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`
  const ms = d.getUTCMilliseconds()
  if (withMs === 'always' || (withMs === 'auto' && ms !== 0)) return `${base}.${pad3(ms)}`
  return base
}

/** `2026-11-25 15:08:00` (UTC). */
export function utcDateTime(ts: number): string {
  return `${utcDate(Math.round(ts))} ${utcTime(ts)}`
}

function sameUtcDay(a: number, b: number): boolean {
  return utcDate(Math.round(a)) === utcDate(Math.round(b))
}

/**
 * A time range as the SRE reads it: `15:08:00–15:11:30` within one UTC day, with dates when it
 * crosses midnight (`2026-11-25 23:58:00–2026-11-26 00:01:00`). Open ends read `≥ …` / `≤ …`.
 */
export function formatTimeRange(fromTs: number | undefined, toTs: number | undefined): string {
  if (fromTs !== undefined && toTs !== undefined) {
    if (sameUtcDay(fromTs, toTs)) return `${utcTime(fromTs)}–${utcTime(toTs)}`
    return `${utcDateTime(fromTs)}–${utcDateTime(toTs)}`
  }
  if (fromTs !== undefined) return `≥ ${utcTime(fromTs)}`
  if (toTs !== undefined) return `≤ ${utcTime(toTs)}`
  return ''
}

/** The same range with full dates and the zone, for tooltips. */
export function describeTimeRange(fromTs: number | undefined, toTs: number | undefined): string {
  const from = fromTs === undefined ? '…' : utcDateTime(fromTs)
  let to = '…'
  if (toTs !== undefined) to = fromTs !== undefined && sameUtcDay(fromTs, toTs) ? utcTime(toTs) : utcDateTime(toTs)
  return `${from} – ${to} UTC`
}

/** Cuts text to `max` characters, ending in `…` when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length <= max ? text : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`
}

/** A duration for readouts: `250ms`, `5s`, `1.5min`, `2h`, `3d`. */
export function formatDuration(ms: number): string {
  const round = (v: number): string => String(Math.round(v * 10) / 10)
  if (ms < 1_000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${round(ms / 1_000)}s`
  if (ms < 3_600_000) return `${round(ms / 60_000)}min`
  if (ms < 86_400_000) return `${round(ms / 3_600_000)}h`
  return `${round(ms / 86_400_000)}d`
}
