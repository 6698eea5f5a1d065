/**
 * Exports a case source's flagged and bookmarked lines, with context, as CSV, JSON Lines or a
 * Markdown postmortem report, to a sink that takes text in chunks (a file, stdout, a buffer for
 * the clipboard). CSV and JSON Lines stream record by record; the report reads the lines twice
 * (once for the counts, top templates and timeline it opens with, then to write them), so it
 * streams too. With `redact`, one Redactor serves the whole export, so a value reads as the same
 * placeholder everywhere in it; it first reads the lines once to learn every name.
 */
import { csvHeader, toCsvRow, toJsonLine } from '../../shared/export/export-record.ts'
import { markdownReportChunks, ReportSummary } from '../../shared/export/markdown-report.ts'
import type { ReportInput, ReportModel } from '../../shared/export/markdown-report.ts'
import { Redactor } from '../../shared/export/redact.ts'
import type { RedactKind } from '../../shared/export/redact.ts'
import type { CaseStore } from '../case/case-store.ts'
import { exportRecords, planExport } from './export-records.ts'
import type { ExportPlan } from './export-records.ts'

export const exportFormats = ['csv', 'jsonl', 'md'] as const
export type ExportFormat = (typeof exportFormats)[number]

export interface ExportOptions {
  format: ExportFormat
  /** Lines of context around each flagged or bookmarked line (default 3). */
  context?: number | undefined
  /** Redact addresses, names, tokens and ids; pass a Redactor to share placeholders across exports. */
  redact?: boolean | Redactor | undefined
  /** For the report's "generated" line (default: now). */
  now?: Date | undefined
}

/** Takes the export a chunk at a time; a returned promise is awaited (back-pressure). */
export type ExportSink = (chunk: string) => void | Promise<void>

export interface ExportStats {
  records: number
  flagged: number
  bookmarked: number
  stretches: number
  /** Distinct values replaced, per kind; null when not redacted. */
  redacted: Record<RedactKind, number> | null
}

export const defaultContext = 3
const chunkChars = 256 * 1024

export async function exportCase(store: CaseStore, sourceId: number, options: ExportOptions, sink: ExportSink): Promise<ExportStats> {
  const context = options.context ?? defaultContext
  const plan = planExport(store, sourceId, context)
  const redactor = redactorFor(options.redact)
  const out = new ChunkedSink(sink)
  let records = 0
  if (options.format === 'md') {
    for (const chunk of reportChunks(store, sourceId, plan, redactor, options.now, (summary) => (records = summary.records))) await out.write(chunk)
  } else {
    learnNames(store, sourceId, plan, redactor)
    const row = options.format === 'csv' ? toCsvRow : toJsonLine
    if (options.format === 'csv') await out.write(csvHeader())
    for (const record of exportRecords(store, sourceId, plan, redactor)) {
      records++
      await out.write(row(record))
    }
  }
  await out.flush()
  return { records, flagged: plan.flagged.size, bookmarked: plan.bookmarks.size, stretches: plan.ranges.length, redacted: redactor?.counts() ?? null }
}

/** The Markdown report as one string, for "copy as Markdown". */
export function markdownReport(store: CaseStore, sourceId: number, options: Omit<ExportOptions, 'format'> = {}): string {
  const plan = planExport(store, sourceId, options.context ?? defaultContext)
  return [...reportChunks(store, sourceId, plan, redactorFor(options.redact), options.now)].join('')
}

function redactorFor(redact: ExportOptions['redact']): Redactor | null {
  if (redact instanceof Redactor) return redact
  return redact ? new Redactor() : null
}

/**
 * Redacting: a first pass over the lines, so that a user or host name the log names late (`user=alice`)
 * is also replaced where it stood alone earlier, and placeholders are numbered in line order.
 */
function learnNames(store: CaseStore, sourceId: number, plan: ExportPlan, redactor: Redactor | null): void {
  if (!redactor) return
  for (const record of exportRecords(store, sourceId, plan, redactor)) void record
}

/**
 * The report: its opening from a pass over the exported lines (counts, stretches, top templates,
 * the timeline), then the lines read again to write them out.
 */
function* reportChunks(store: CaseStore, sourceId: number, plan: ExportPlan, redactor: Redactor | null, now = new Date(), onSummary?: (summary: ReportSummary) => void): Generator<string> {
  learnNames(store, sourceId, plan, redactor)
  const timeRange = store.timeRange(sourceId)
  const summary = new ReportSummary(timeRange)
  for (const record of exportRecords(store, sourceId, plan, redactor)) summary.add(record)
  onSummary?.(summary)
  const redact = (text: string): string => (redactor ? redactor.redact(text) : text)
  const source = store.source(sourceId)
  const model = caseModel(store)
  const input: ReportInput = {
    source: { name: redact(plan.sourceName), path: redact(source?.path ?? plan.sourceName), lines: plan.total, format: source?.format ?? null },
    timeRange,
    model: model && { ...model, baseline: model.baseline.map(redact) },
    flagged: plan.flagged.size,
    context: plan.context,
    lineBuckets: timeRange ? lineBuckets(store, sourceId, timeRange, summary.bucketMs, summary.anomalies.length) : undefined,
    redacted: redactor?.counts() ?? null,
    generatedAt: now.toISOString()
  }
  yield* markdownReportChunks(input, summary, exportRecords(store, sourceId, plan, redactor))
}

/** All lines per timeline bucket, from the blocks' time spans (a block's lines spread evenly over its span). */
function lineBuckets(store: CaseStore, sourceId: number, range: { min: number; max: number }, bucketMs: number, buckets: number): number[] {
  const bucketOf = (t: number): number => Math.max(0, Math.min(buckets - 1, Math.floor((t - range.min) / bucketMs)))
  const lines = new Array<number>(buckets).fill(0)
  const blocks = store.db.prepare(`SELECT min_ts, max_ts, line_count FROM blocks WHERE source_id = ? AND min_ts IS NOT NULL`).raw().iterate(sourceId) as Iterable<[number, number, number]>
  for (const [min, max, count] of blocks) {
    const first = bucketOf(min)
    const last = bucketOf(max)
    for (let b = first; b <= last; b++) lines[b] = (lines[b] as number) + count / (last - first + 1)
  }
  return lines
}

/** The case's active model as the report describes it (read from its snapshot without rebuilding the model). */
function caseModel(store: CaseStore): ReportModel | null {
  const saved = store.activeModel()
  if (!saved) return null
  try {
    const model = (JSON.parse(saved.snapshot) as { model?: { mode?: unknown; sources?: { path?: unknown }[]; settings?: { lineThreshold?: unknown } } }).model
    return {
      mode: model?.mode === 'self' ? 'self' : 'baseline',
      baseline: (model?.sources ?? []).map((s) => String(s.path)),
      lineThreshold: typeof model?.settings?.lineThreshold === 'number' ? model.settings.lineThreshold : 0.5
    }
  } catch {
    return { mode: 'baseline', baseline: [saved.name], lineThreshold: 0.5 }
  }
}

/** Joins small writes into large chunks before they reach the sink. */
class ChunkedSink {
  readonly #sink: ExportSink
  #parts: string[] = []
  #size = 0

  constructor(sink: ExportSink) {
    this.#sink = sink
  }

  async write(text: string): Promise<void> {
    this.#parts.push(text)
    this.#size += text.length
    if (this.#size >= chunkChars) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return
    const chunk = this.#parts.join('')
    this.#parts = []
    this.#size = 0
    await this.#sink(chunk)
  }
}
