/**
 * The investigator's bookmarks ("this matters") and notes on lines of a case's sources, in the
 * case's `marks` table, so they travel with the case file and go into exports. Every change
 * returns what it changed, so the caller can undo it: undo an add with `removeMark`, undo a
 * remove with `restoreMark` (same id). Kind 'normal' (feedback that a line is fine) belongs to
 * the feedback module; this one reads and writes only 'bookmark' and 'note'.
 */
import type { Db } from '../store/sqlite.ts'

export type LineMarkKind = 'bookmark' | 'note'

export interface LineMark {
  readonly id: number
  readonly sourceId: number
  readonly lineNo: number
  readonly kind: LineMarkKind
  /** A note's text; null for a bookmark. */
  readonly note: string | null
  readonly createdAt: number
}

interface MarkRow {
  id: number
  source_id: number
  line_no: number
  kind: LineMarkKind
  note: string | null
  created_at: number
}

const columns = `id, source_id, line_no, kind, note, created_at`
const maxNoteLength = 10_000

/**
 * Bookmarks a line; a line already bookmarked keeps its bookmark (returned as is, `added` false,
 * so an undo of this call does nothing).
 */
export function addBookmark(db: Db, sourceId: number, lineNo: number, now: number): { mark: LineMark; added: boolean } {
  checkLine(db, sourceId, lineNo)
  const existing = findMark(db, sourceId, lineNo, 'bookmark')
  if (existing) return { mark: existing, added: false }
  return { mark: insert(db, { sourceId, lineNo, kind: 'bookmark', note: null, createdAt: now }), added: true }
}

/** Adds a note to a line (a line may carry several). */
export function addNote(db: Db, sourceId: number, lineNo: number, note: string, now: number): LineMark {
  checkLine(db, sourceId, lineNo)
  return insert(db, { sourceId, lineNo, kind: 'note', note: checkNote(note), createdAt: now })
}

/** Rewrites a note's text; returns the note as it was before (undo: edit it back). */
export function editNote(db: Db, id: number, note: string): LineMark {
  const before = getMark(db, id)
  if (!before || before.kind !== 'note') throw new Error(`No note ${id}`)
  db.prepare(`UPDATE marks SET note = ? WHERE id = ?`).run(checkNote(note), id)
  return before
}

/** Removes a bookmark or note; returns it for `restoreMark`, or undefined when there was none. */
export function removeMark(db: Db, id: number): LineMark | undefined {
  const mark = getMark(db, id)
  if (mark) db.prepare(`DELETE FROM marks WHERE id = ?`).run(id)
  return mark
}

/** Puts a removed mark back with its id, so later undo steps that name it still find it. */
export function restoreMark(db: Db, mark: LineMark): void {
  if (getMark(db, mark.id)) throw new Error(`Mark ${mark.id} exists already`)
  insert(db, mark)
}

export function getMark(db: Db, id: number): LineMark | undefined {
  const row = db.prepare(`SELECT ${columns} FROM marks WHERE id = ? AND kind IN ('bookmark', 'note')`).get(id) as MarkRow | undefined
  return row && toMark(row)
}

/** A source's bookmarks and notes by line (then by when they were made), optionally of one kind or a line range. */
export function listMarks(db: Db, sourceId: number, options: { kind?: LineMarkKind; from?: number; to?: number } = {}): LineMark[] {
  const kinds = options.kind ? [options.kind] : ['bookmark', 'note']
  const rows = db
    .prepare(
      `SELECT ${columns} FROM marks WHERE source_id = ? AND kind IN (${kinds.map(() => '?').join(', ')}) AND line_no BETWEEN ? AND ?
       ORDER BY line_no, created_at, id`
    )
    .all(sourceId, ...kinds, options.from ?? 0, options.to ?? Number.MAX_SAFE_INTEGER) as MarkRow[]
  return rows.map(toMark)
}

function findMark(db: Db, sourceId: number, lineNo: number, kind: LineMarkKind): LineMark | undefined {
  const row = db.prepare(`SELECT ${columns} FROM marks WHERE source_id = ? AND line_no = ? AND kind = ? ORDER BY id LIMIT 1`).get(sourceId, lineNo, kind) as MarkRow | undefined
  return row && toMark(row)
}

function insert(db: Db, mark: Omit<LineMark, 'id'> & { id?: number }): LineMark {
  const result = db
    .prepare(`INSERT INTO marks (id, source_id, line_no, template_id, kind, note, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?)`)
    .run(mark.id ?? null, mark.sourceId, mark.lineNo, mark.kind, mark.note, mark.createdAt)
  return { ...mark, id: Number(result.lastInsertRowid) }
}

function checkLine(db: Db, sourceId: number, lineNo: number): void {
  const lines = db.prepare(`SELECT lines FROM sources WHERE id = ?`).pluck().get(sourceId) as number | undefined
  if (lines === undefined) throw new Error(`No source ${sourceId} in this case`)
  if (!Number.isInteger(lineNo) || lineNo < 1 || lineNo > lines) throw new Error(`Line ${lineNo} is not in source ${sourceId} (lines 1–${lines})`)
}

function checkNote(note: string): string {
  const text = note.trim()
  if (text === '') throw new Error('A note needs some text')
  if (text.length > maxNoteLength) throw new Error(`A note holds at most ${maxNoteLength.toLocaleString('en-US')} characters`)
  return text
}

function toMark(row: MarkRow): LineMark {
  return { id: row.id, sourceId: row.source_id, lineNo: row.line_no, kind: row.kind, note: row.note, createdAt: row.created_at }
}
