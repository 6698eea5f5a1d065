/**
 * The postmortem's timeline: flagged lines per time bucket as bars over the case's line volume,
 * as a self-contained SVG (no scripts, no external references, every text escaped), small enough
 * to embed in a Markdown report as a data URI.
 */

export interface TimelineData {
  fromTs: number
  bucketMs: number
  /** Flagged lines per bucket. */
  anomalies: readonly number[]
  /** All lines per bucket (drawn faintly behind), when known. */
  lines?: readonly number[] | undefined
}

const width = 800
const height = 180
const left = 48
const right = 12
const top = 16
const bottom = 36

export function timelineSvg(data: TimelineData, title = 'Flagged lines over time'): string {
  const n = Math.max(1, data.anomalies.length)
  const plotW = width - left - right
  const plotH = height - top - bottom
  const barW = plotW / n
  const maxAnomalies = Math.max(1, ...data.anomalies)
  const maxLines = data.lines ? Math.max(1, ...data.lines) : 1
  const bars = (values: readonly number[], max: number, fill: string): string =>
    values
      .map((v, i) => {
        if (v <= 0) return ''
        const h = Math.max(1, (v / max) * plotH)
        return `<rect x="${num(left + i * barW)}" y="${num(top + plotH - h)}" width="${num(Math.max(0.5, barW - 0.5))}" height="${num(h)}" fill="${fill}"/>`
      })
      .join('')
  const end = data.fromTs + data.bucketMs * n
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    data.lines ? bars(data.lines, maxLines, '#d7dce2') : '',
    bars(data.anomalies, maxAnomalies, '#d0342c'),
    `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#444"/>`,
    `<line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#444"/>`,
    text(left - 4, top + 8, String(maxAnomalies), 'end'),
    text(left - 4, top + plotH, '0', 'end'),
    text(left, height - 18, isoMinute(data.fromTs), 'start'),
    text(width - right, height - 18, isoMinute(end), 'end'),
    text(left + plotW / 2, height - 4, `flagged lines per ${duration(data.bucketMs)}${data.lines ? ' (grey: all lines, own scale)' : ''}`, 'middle'),
    `</svg>`
  ].join('')
}

/** The SVG as a data: URI that Markdown image syntax accepts (parentheses encoded too). */
export function svgDataUri(svg: string): string {
  return `data:image/svg+xml,${encodeURIComponent(svg).replace(/[()']/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
}

function text(x: number, y: number, value: string, anchor: 'start' | 'middle' | 'end'): string {
  return `<text x="${num(x)}" y="${num(y)}" text-anchor="${anchor}" fill="#222">${escapeXml(value)}</text>`
}

function num(value: number): string {
  return String(Math.round(value * 10) / 10)
}

function isoMinute(ts: number): string {
  return Number.isFinite(ts) ? new Date(ts).toISOString().slice(0, 16).replace('T', ' ') : '?'
}

function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second']
  ]
  for (const [size, name] of units) {
    if (ms >= size) {
      const count = Math.round((ms / size) * 10) / 10
      return count === 1 ? name : `${count} ${name}s`
    }
  }
  return `${Math.max(1, Math.round(ms))} ms`
}
