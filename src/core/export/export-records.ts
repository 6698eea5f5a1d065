/**
 * The lines of a case source that go into an export, as `ExportRecord`s in line order: every
 * flagged line (the anomalies table), every bookmarked or noted line (marks.ts), each with ±N
 * lines of context, overlapping stretches merged so no line comes twice. A flagged or bookmarked
 * record's continuation lines (a stack trace) come whole, with the context after them.
 * A generator over the blocks, a stretch at a time: a 10-million-line case with 100,000 flagged
 * lines never sits in memory whole.
 */
import { levelName } from '../../shared/levels.ts'
import { parseReasons } from '../case/reason-lists.ts'
import { roundScore } from '../../shared/export/export-record.ts'
import type { ExportRecord } from '../../shared/export/export-record.ts'
import { contextRanges } from '../../shared/export/line-ranges.ts'
import type { Redactor } from '../../shared/export/redact.ts'
import { lineFlag } from '../case/block-codec.ts'
import type { CaseStore } from '../case/case-store.ts'
import { listMarks } from '../case/marks.ts'

export interface RecordOptions {
  /** Lines of context before and after each flagged or bookmarked line. */
  context: number
  redactor?: Redactor | null | undefined
}

/** What the export is made of, found before any line is read. */
export interface ExportPlan {
  sourceName: string
  total: number
  context: number
  /** False when the case was never scored: records then carry no score. */
  scored: boolean
  flagged: Map<number, readonly string[]>
  bookmarks: Set<number>
  notes: Map<number, string>
  ranges: [number, number][]
}

export function planExport(store: CaseStore, sourceId: number, context: number): ExportPlan {
  const source = store.source(sourceId)
  if (!source) throw new Error(`No source ${sourceId} in ${store.path}`)
  const flagged = new Map<number, readonly string[]>()
  const rows = store.db.prepare(`SELECT line_no, reasons FROM anomaly_reasons WHERE source_id = ? ORDER BY line_no`).raw().iterate(sourceId) as Iterable<[number, string]>
  // A reason never holds a line break (the CSV keeps one reason per line in its cell).
  for (const [lineNo, reasons] of rows) flagged.set(lineNo, parseReasons(reasons).map((r) => r.replace(/[\r\n]+/g, ' ')))
  const bookmarks = new Set<number>()
  const notes = new Map<number, string>()
  for (const mark of listMarks(store.db, sourceId)) {
    if (mark.kind === 'bookmark') bookmarks.add(mark.lineNo)
    else if (mark.note !== null) notes.set(mark.lineNo, notes.has(mark.lineNo) ? `${notes.get(mark.lineNo)}\n${mark.note}` : mark.note)
  }
  const anchors = [...flagged.keys(), ...bookmarks, ...notes.keys()]
  return {
    sourceName: source.name,
    total: source.lines,
    context,
    scored: flagged.size > 0 || store.activeModel() !== null,
    flagged,
    bookmarks,
    notes,
    ranges: contextRanges(anchors, context, source.lines)
  }
}

const readLines = 1_024

export function* exportRecords(store: CaseStore, sourceId: number, plan: ExportPlan, redactor?: Redactor | null): Generator<ExportRecord> {
  const { flagged, bookmarks, notes } = plan
  const redact = redactor ? (text: string) => redactor.redact(text) : (text: string) => text
  const source = redact(plan.sourceName)
  const templates = templateTexts(store)
  const shownTemplates = new Map<number, string | null>()
  const templateOf = (id: number): string | null => {
    let text = shownTemplates.get(id)
    if (text === undefined) {
      const raw = templates.get(id)
      shownTemplates.set(id, (text = raw === undefined ? null : redact(raw)))
    }
    return text
  }
  let next = 1
  // The record being read: is its head flagged, or flagged or marked?
  let headFlagged = false
  let headAnchor = false
  for (const [from, to] of plan.ranges) {
    let line = Math.max(from, next)
    let end = to
    if (line > next) headFlagged = headAnchor = false
    while (line <= end) {
      const lines = store.lines(sourceId, line, Math.min(readLines, end - line + 1))
      if (lines.length === 0) break
      for (const l of lines) {
        const continuation = (l.flags & lineFlag.continuation) !== 0
        const reasons = flagged.get(l.lineNo)
        const note = notes.get(l.lineNo)
        const bookmarked = bookmarks.has(l.lineNo)
        const anchor = reasons !== undefined || bookmarked || note !== undefined
        if (!continuation) {
          headFlagged = reasons !== undefined
          headAnchor = anchor
        }
        yield {
          source,
          lineNo: l.lineNo,
          time: l.ts === null ? null : new Date(l.ts).toISOString(),
          level: levelName(l.level),
          score: plan.scored ? roundScore(l.score) : null,
          flagged: reasons !== undefined || (continuation && headFlagged),
          bookmarked,
          note: note === undefined ? null : redact(note),
          context: !(anchor || (continuation && headAnchor)),
          template: templateOf(l.template),
          reasons: reasons ? reasons.map(redact) : [],
          text: redact(l.text)
        }
      }
      line = (lines[lines.length - 1] as { lineNo: number }).lineNo + 1
      // A record running past the stretch: the rest of it, then the context after it.
      if (line > end && headAnchor) {
        const rest = continuationsFrom(store, sourceId, line)
        if (rest > 0) end = Math.min(plan.total, end + rest + plan.context)
      }
    }
    next = line
  }
}

/** How many continuation lines follow from `line` on (the rest of a record). */
function continuationsFrom(store: CaseStore, sourceId: number, line: number): number {
  let count = 0
  for (;;) {
    const lines = store.lines(sourceId, line + count, 256)
    let i = 0
    while (i < lines.length && ((lines[i] as { flags: number }).flags & lineFlag.continuation) !== 0) i++
    count += i
    if (i < lines.length || lines.length === 0) return count
  }
}

/** Template text by raw template id (merged ids read as their canonical template). */
function templateTexts(store: CaseStore): Map<number, string> {
  const rows = store.db.prepare(`SELECT id, canonical_id, text FROM templates`).all() as { id: number; canonical_id: number; text: string }[]
  const byId = new Map(rows.map((r) => [r.id, r]))
  const texts = new Map<number, string>()
  for (const row of rows) texts.set(row.id, byId.get(row.canonical_id)?.text ?? row.text)
  return texts
}
