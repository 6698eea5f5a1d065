/**
 * The Markdown postmortem report: what was investigated (source, time range, model and baseline,
 * counts), the top anomalous templates with an example each, a timeline of anomalies as an
 * embedded SVG, and every exported line grouped in its stretch of context, flagged lines with
 * their reasons. Pure: the engine gathers `ReportInput`, and the app can build the same report.
 * Every piece of log text goes through markdown-text.ts, so a line cannot turn into markup.
 */
import type { ExportRecord } from './export-record.ts'
import { codeBlock, codeSpan, escapeMarkdown } from './markdown-text.ts'
import { svgDataUri, timelineSvg } from './timeline-svg.ts'
import type { TimelineData } from './timeline-svg.ts'

export interface ReportModel {
  mode: 'baseline' | 'self'
  /** The baseline files (for a self-trained model: the file itself). */
  baseline: readonly string[]
  lineThreshold: number
}

export interface ReportInput {
  source: { name: string; path: string; lines: number; format: string | null }
  timeRange: { min: number; max: number } | null
  /** Null: the case was never scored. */
  model: ReportModel | null
  flagged: number
  context: number
  /** Consecutive records, one stretch of context each, in line order. */
  stretches: readonly (readonly ExportRecord[])[]
  timeline: TimelineData | null
  /** Placeholders per kind when the export was redacted. */
  redacted: Readonly<Record<string, number>> | null
  generatedAt: string
  /** How many templates to list (default 10). */
  topTemplates?: number
}

/** Longest line shown in the report; the CSV and JSON Lines exports keep lines whole. */
const maxShownChars = 2_000

export function markdownReport(input: ReportInput): string {
  return [...markdownReportChunks(input)].join('')
}

/** The report in pieces (a stretch at a time), for writing a big one out without one giant string. */
export function* markdownReportChunks(input: ReportInput): Generator<string> {
  const records = input.stretches.flat()
  const flaggedRecords = records.filter((r) => r.flagged && r.reasons.length > 0)
  const bookmarked = records.filter((r) => r.bookmarked).length
  const notes = records.filter((r) => r.note !== null).length
  const { source } = input

  yield `# Postmortem: ${escapeMarkdown(source.name)}\n\n`
  yield `| | |\n|---|---|\n`
  const rows: [string, string][] = [
    ['Source', `${codeSpan(source.name, true)} (${codeSpan(source.path, true)})${source.format ? `, format ${codeSpan(source.format, true)}` : ''}`],
    ['Time range', input.timeRange ? `${iso(input.timeRange.min)} → ${iso(input.timeRange.max)} (UTC)` : 'no timestamps'],
    ['Model', describeModel(input.model)],
    ['Lines', count(source.lines)],
    ['Flagged', input.model ? `${lines(input.flagged)} (${share(input.flagged, source.lines)})` : 'not scored'],
    ['Bookmarked', `${lines(bookmarked)}, ${count(notes)} with notes`],
    ['In this report', `${lines(records.length)} in ${count(input.stretches.length)} ${input.stretches.length === 1 ? 'stretch' : 'stretches'} (±${lines(input.context)} of context)`],
    ['Redacted', input.redacted ? describeRedaction(input.redacted) : 'no'],
    ['Generated', `${escapeMarkdown(input.generatedAt)} by Faultline`]
  ]
  for (const [key, value] of rows) yield `| ${key} | ${value} |\n`
  yield '\n'

  if (input.timeline && input.timeline.anomalies.some((n) => n > 0)) {
    yield `## Timeline of anomalies\n\n![Flagged lines over time](${svgDataUri(timelineSvg(input.timeline))})\n\n`
  }

  const top = topTemplates(flaggedRecords, input.topTemplates ?? 10)
  if (top.length > 0) {
    yield `## Top anomalous templates\n\n| # | Flagged | Worst score | Template | Example |\n|---:|---:|---:|---|---|\n`
    for (const [i, t] of top.entries()) {
      yield `| ${i + 1} | ${count(t.count)} | ${t.example.score?.toFixed(2) ?? ''} | ${codeSpan(t.template, true)} | line ${t.example.lineNo}: ${codeSpan(shown(t.example.text), true)} |\n`
    }
    yield '\n'
  }

  yield `## Flagged and bookmarked lines\n\n`
  if (input.stretches.length === 0) yield input.model ? 'Nothing was flagged or bookmarked.\n' : 'The case is not scored and nothing is bookmarked.\n'
  for (const stretch of input.stretches) yield stretchSection(stretch)
}

function stretchSection(stretch: readonly ExportRecord[]): string {
  const first = stretch[0]
  const last = stretch[stretch.length - 1]
  if (!first || !last) return ''
  const parts = [`### ${first.lineNo === last.lineNo ? `Line ${first.lineNo}` : `Lines ${first.lineNo}–${last.lineNo}`}\n\n`]
  for (const r of stretch) {
    if (r.context) continue
    if (!(r.reasons.length > 0 || r.bookmarked || r.note !== null)) continue
    const what = [r.reasons.length > 0 ? 'flagged' : '', r.bookmarked ? 'bookmarked' : ''].filter(Boolean).join(', ')
    const facts = [r.time ?? 'no time', r.level, r.score === null ? '' : `score ${r.score.toFixed(2)}`, what].filter(Boolean).map(escapeMarkdown)
    parts.push(`- **Line ${r.lineNo}** · ${facts.join(' · ')}\n`)
    for (const reason of r.reasons) parts.push(`  - ${escapeMarkdown(reason)}\n`)
    if (r.note !== null) parts.push(`  - Note: ${escapeMarkdown(r.note)}\n`)
  }
  const width = String(last.lineNo).length
  parts.push('\n', codeBlock(stretch.map((r) => `${marker(r)} ${String(r.lineNo).padStart(width)}  ${shown(r.text)}`)), '\n')
  return parts.join('')
}

/** ▶ flagged, ★ bookmarked or noted, blank for context. */
function marker(r: ExportRecord): string {
  if (r.flagged) return '▶'
  if (r.bookmarked || r.note !== null) return '★'
  return ' '
}

function topTemplates(flagged: readonly ExportRecord[], limit: number): { template: string; count: number; example: ExportRecord }[] {
  const groups = new Map<string, { template: string; count: number; example: ExportRecord }>()
  for (const r of flagged) {
    const key = r.template ?? r.text
    const group = groups.get(key)
    if (!group) groups.set(key, { template: key, count: 1, example: r })
    else {
      group.count++
      if ((r.score ?? 0) > (group.example.score ?? 0)) group.example = r
    }
  }
  return [...groups.values()].sort((a, b) => (b.example.score ?? 0) - (a.example.score ?? 0) || b.count - a.count).slice(0, limit)
}

function describeModel(model: ReportModel | null): string {
  if (!model) return 'none: the lines are not scored'
  const files = model.baseline.map((f) => codeSpan(f, true)).join(', ')
  const what = model.mode === 'self' ? `self-trained on ${files || 'this file'} (no baseline given)` : `baseline ${files}`
  return `${what}; flags lines scoring ≥ ${model.lineThreshold}`
}

function describeRedaction(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${count(n)} ${kind}`)
  return `yes: addresses, emails, host and user names, tokens and ids replaced consistently${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`
}

function shown(text: string): string {
  return text.length <= maxShownChars ? text : `${text.slice(0, maxShownChars)}… (${count(text.length - maxShownChars)} more characters)`
}

function iso(ts: number): string {
  return new Date(ts).toISOString()
}

function lines(n: number): string {
  return `${count(n)} ${n === 1 ? 'line' : 'lines'}`
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

function share(part: number, whole: number): string {
  return `${whole > 0 ? ((100 * part) / whole).toFixed(part / whole < 0.01 ? 3 : 1) : '0'} %`
}
