/**
 * The Markdown postmortem report: what was investigated (source, time range, model and baseline,
 * counts), the top anomalous templates with an example each, a timeline of anomalies as an
 * embedded SVG, and every exported line grouped in its stretch of context, flagged lines with
 * their reasons. Pure: the engine gathers `ReportInput`, and the app can build the same report.
 * Every piece of log text goes through markdown-text.ts, so a line cannot turn into markup.
 */
import type { ExportRecord } from './export-record.ts'
import { codeSpan, escapeMarkdown, longestRun, visibleControls } from './markdown-text.ts'
import { svgDataUri, timelineSvg } from './timeline-svg.ts'

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
  /** All lines per timeline bucket (drawn faintly behind the flagged ones), when known. */
  lineBuckets?: readonly number[] | undefined
  /** Placeholders per kind when the export was redacted. */
  redacted: Readonly<Record<string, number>> | null
  generatedAt: string
  /** How many templates to list (default 10). */
  topTemplates?: number | undefined
}

/** Longest line shown in the report; the CSV and JSON Lines exports keep lines whole. */
const maxShownChars = 2_000
const timelineBuckets = 100

interface Stretch {
  from: number
  to: number
  /** Backticks fencing its code block: more than any run inside. */
  fence: number
}

/**
 * What the report's opening needs from the exported lines, gathered in one pass over them
 * (counts, stretches, top templates, flagged lines over time) so the lines themselves can then
 * be written out in a second pass instead of held in memory.
 */
export class ReportSummary {
  records = 0
  bookmarked = 0
  notes = 0
  readonly stretches: Stretch[] = []
  readonly #templates = new Map<string, { template: string; count: number; example: ExportRecord }>()
  readonly #range: { min: number; max: number } | null
  readonly anomalies = new Array<number>(timelineBuckets).fill(0)

  constructor(timeRange: { min: number; max: number } | null) {
    this.#range = timeRange
  }

  get bucketMs(): number {
    return this.#range ? Math.max(1, this.#range.max - this.#range.min) / timelineBuckets : 1
  }

  add(r: ExportRecord): void {
    this.records++
    if (r.bookmarked) this.bookmarked++
    if (r.note !== null) this.notes++
    const last = this.stretches[this.stretches.length - 1]
    const fence = Math.max(3, longestRun(visibleControls(shown(r.text)), '`') + 1)
    if (last && r.lineNo === last.to + 1) {
      last.to = r.lineNo
      last.fence = Math.max(last.fence, fence)
    } else this.stretches.push({ from: r.lineNo, to: r.lineNo, fence })
    if (!(r.flagged && r.reasons.length > 0)) return
    const key = r.template ?? r.text
    const group = this.#templates.get(key)
    if (!group) this.#templates.set(key, { template: key, count: 1, example: r })
    else {
      group.count++
      if ((r.score ?? 0) > (group.example.score ?? 0)) group.example = r
    }
    if (this.#range && r.time !== null) {
      const b = Math.max(0, Math.min(timelineBuckets - 1, Math.floor((Date.parse(r.time) - this.#range.min) / this.bucketMs)))
      this.anomalies[b] = (this.anomalies[b] as number) + 1
    }
  }

  topTemplates(limit: number): { template: string; count: number; example: ExportRecord }[] {
    return [...this.#templates.values()].sort((a, b) => (b.example.score ?? 0) - (a.example.score ?? 0) || b.count - a.count).slice(0, limit)
  }
}

/** The whole report as one string (for "copy as Markdown"), from the exported records. */
export function markdownReport(input: ReportInput, records: readonly ExportRecord[]): string {
  const summary = new ReportSummary(input.timeRange)
  for (const r of records) summary.add(r)
  return [...markdownReportChunks(input, summary, records)].join('')
}

/**
 * The report in pieces, for writing a big one out without one giant string: the opening from
 * `summary`, then `records` (the same ones the summary saw, in the same order) a line at a time.
 */
export function* markdownReportChunks(input: ReportInput, summary: ReportSummary, records: Iterable<ExportRecord>): Generator<string> {
  const { source } = input
  const stretches = summary.stretches.length
  yield `# Postmortem: ${escapeMarkdown(source.name)}\n\n`
  yield `| | |\n|---|---|\n`
  const rows: [string, string][] = [
    ['Source', `${codeSpan(source.name, true)} (${codeSpan(source.path, true)})${source.format ? `, format ${codeSpan(source.format, true)}` : ''}`],
    ['Time range', input.timeRange ? `${iso(input.timeRange.min)} → ${iso(input.timeRange.max)} (UTC)` : 'no timestamps'],
    ['Model', describeModel(input.model)],
    ['Lines', count(source.lines)],
    ['Flagged', input.model ? `${lines(input.flagged)} (${share(input.flagged, source.lines)})` : 'not scored'],
    ['Bookmarked', `${lines(summary.bookmarked)}, ${count(summary.notes)} with notes`],
    ['In this report', `${lines(summary.records)} in ${count(stretches)} ${stretches === 1 ? 'stretch' : 'stretches'} (±${lines(input.context)} of context)`],
    ['Redacted', input.redacted ? describeRedaction(input.redacted) : 'no'],
    ['Generated', `${escapeMarkdown(input.generatedAt)} by Faultline`]
  ]
  for (const [key, value] of rows) yield `| ${key} | ${value} |\n`
  yield '\n'

  if (input.timeRange && summary.anomalies.some((n) => n > 0)) {
    const svg = timelineSvg({ fromTs: input.timeRange.min, bucketMs: summary.bucketMs, anomalies: summary.anomalies, lines: input.lineBuckets })
    yield `## Timeline of anomalies\n\n![Flagged lines over time](${svgDataUri(svg)})\n\n`
  }

  const top = summary.topTemplates(input.topTemplates ?? 10)
  if (top.length > 0) {
    yield `## Top anomalous templates\n\n| # | Flagged | Worst score | Template | Example |\n|---:|---:|---:|---|---|\n`
    for (const [i, t] of top.entries()) {
      yield `| ${i + 1} | ${count(t.count)} | ${t.example.score?.toFixed(2) ?? ''} | ${codeSpan(t.template, true)} | line ${t.example.lineNo}: ${codeSpan(shown(t.example.text), true)} |\n`
    }
    yield '\n'
  }

  yield `## Flagged and bookmarked lines\n\n`
  if (stretches === 0) yield input.model ? 'Nothing was flagged or bookmarked.\n' : 'The case is not scored and nothing is bookmarked.\n'
  yield* stretchSections(summary.stretches, records)
}

/**
 * Each stretch: a heading, its lines as a code block (▶ flagged, ★ bookmarked or noted), then why
 * its flagged lines were flagged and the notes. Only the stretch's own flagged and marked lines
 * are held until its block is written.
 */
function* stretchSections(stretches: readonly Stretch[], records: Iterable<ExportRecord>): Generator<string> {
  let index = -1
  let stretch: Stretch | undefined
  let width = 0
  let explained: string[] = []
  const close = function* (): Generator<string> {
    if (!stretch) return
    yield `${'`'.repeat(stretch.fence)}\n\n`
    if (explained.length > 0) yield `${explained.join('')}\n`
    explained = []
  }
  for (const r of records) {
    if (!stretch || r.lineNo > stretch.to) {
      yield* close()
      stretch = stretches[++index]
      if (!stretch) throw new Error(`line ${r.lineNo} is in no stretch the summary saw`)
      width = String(stretch.to).length
      yield `### ${stretch.from === stretch.to ? `Line ${stretch.from}` : `Lines ${stretch.from}–${stretch.to}`}\n\n${'`'.repeat(stretch.fence)}text\n`
    }
    yield `${visibleControls(`${marker(r)} ${String(r.lineNo).padStart(width)}  ${shown(r.text)}`)}\n`
    if (r.context || !(r.reasons.length > 0 || r.bookmarked || r.note !== null)) continue
    const what = [r.reasons.length > 0 ? 'flagged' : '', r.bookmarked ? 'bookmarked' : ''].filter(Boolean).join(', ')
    const facts = [r.time ?? 'no time', r.level, r.score === null ? '' : `score ${r.score.toFixed(2)}`, what].filter(Boolean).map(escapeMarkdown)
    explained.push(`- **Line ${r.lineNo}** · ${facts.join(' · ')}\n`)
    for (const reason of r.reasons) explained.push(`  - ${escapeMarkdown(reason)}\n`)
    if (r.note !== null) explained.push(`  - Note: ${escapeMarkdown(r.note)}\n`)
  }
  yield* close()
}

/** ▶ flagged, ★ bookmarked or noted, blank for context. */
function marker(r: ExportRecord): string {
  if (r.flagged) return '▶'
  if (r.bookmarked || r.note !== null) return '★'
  return ' '
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
