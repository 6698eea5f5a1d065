/**
 * One exported line, the same in every format: where it is, when, how bad, why it is in the
 * export (flagged, bookmarked, or context around one of those) and its text. CSV and JSON Lines
 * write these fields and read them back unchanged (see the round-trip tests).
 */
import { levelNames } from '../levels.ts'
import type { LevelName } from '../levels.ts'
import { csvRow } from './csv.ts'

export interface ExportRecord {
  /** The source file's name (not its full path: that stays on the investigator's machine). */
  source: string
  lineNo: number
  /** ISO 8601 UTC, or null when the line has no timestamp. */
  time: string | null
  level: LevelName
  /** 0…1, rounded to 4 places; null when the case was never scored. */
  score: number | null
  /** The model flagged the line's record (continuation lines share their head's verdict). */
  flagged: boolean
  bookmarked: boolean
  /** The investigator's note on the line, if any. */
  note: string | null
  /** In the export only as one of the ±N lines around a flagged or bookmarked one. */
  context: boolean
  template: string | null
  /** Why the model flagged it (empty for other lines). Never holds a line break. */
  reasons: string[]
  text: string
}

export const exportColumns = ['source', 'line', 'time', 'level', 'score', 'flagged', 'bookmarked', 'note', 'context', 'template', 'reasons', 'text'] as const

export function roundScore(score: number): number {
  return Math.round(score * 10_000) / 10_000
}

export function csvHeader(): string {
  return csvRow(exportColumns)
}

/**
 * A record as a CSV row. Empty cells stand for null; reasons go one per line inside their cell
 * (spreadsheets show that as a list), which is why a reason never holds a line break.
 */
export function toCsvRow(r: ExportRecord): string {
  return csvRow([
    r.source,
    String(r.lineNo),
    r.time ?? '',
    r.level,
    r.score === null ? '' : String(r.score),
    String(r.flagged),
    String(r.bookmarked),
    r.note ?? '',
    String(r.context),
    r.template ?? '',
    r.reasons.join('\n'),
    r.text
  ])
}

/** Reads back a row `toCsvRow` wrote (after the header). */
export function fromCsvRow(row: readonly string[]): ExportRecord {
  if (row.length !== exportColumns.length) throw new Error(`expected ${exportColumns.length} CSV fields, found ${row.length}`)
  const [source, line, time, level, score, flagged, bookmarked, note, context, template, reasons, text] = row as [string, string, string, string, string, string, string, string, string, string, string, string]
  return {
    source,
    lineNo: Number(line),
    time: time === '' ? null : time,
    level: toLevel(level),
    score: score === '' ? null : Number(score),
    flagged: flagged === 'true',
    bookmarked: bookmarked === 'true',
    note: note === '' ? null : note,
    context: context === 'true',
    template: template === '' ? null : template,
    reasons: reasons === '' ? [] : reasons.split('\n'),
    text
  }
}

/** A record as one JSON Lines line (JSON escapes CR, tabs and control characters, so it stays one line). */
export function toJsonLine(r: ExportRecord): string {
  return `${JSON.stringify(r)}\n`
}

export function fromJsonLine(line: string): ExportRecord {
  const value = JSON.parse(line) as ExportRecord
  return { ...value, level: toLevel(value.level) }
}

function toLevel(value: string): LevelName {
  if (!(levelNames as readonly string[]).includes(value)) throw new Error(`unknown level ${value}`)
  return value as LevelName
}
