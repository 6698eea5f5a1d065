/**
 * Rewriting the raw template id of chosen lines, in the case file and in the open store's
 * memory: what a template split (and its undo) changes. Only the blocks holding a changed line
 * are read and written again; their text and scores are left alone.
 */
import { decodeColumns, encodeColumns } from '../case/block-codec.ts'
import type { CaseStore } from '../case/case-store.ts'

/** Sets line n's template to `changes.get(n)` in the blocks and the anomalies (call inside a transaction). */
export function rewriteTemplateColumn(store: CaseStore, sourceId: number, changes: ReadonlyMap<number, number>): void {
  if (changes.size === 0) return
  const db = store.db
  const lines = [...changes.keys()].sort((a, b) => a - b)
  const blocks = db
    .prepare(`SELECT block_no, first_line, line_count, columns FROM blocks WHERE source_id = ? AND first_line + line_count > ? AND first_line <= ? ORDER BY first_line`)
    .all(sourceId, lines[0], lines.at(-1)) as { block_no: number; first_line: number; line_count: number; columns: Buffer }[]
  const write = db.prepare(`UPDATE blocks SET columns = ? WHERE source_id = ? AND block_no = ?`)
  let k = 0
  for (const block of blocks) {
    const end = block.first_line + block.line_count
    while (k < lines.length && (lines[k] as number) < block.first_line) k++
    if (k >= lines.length || (lines[k] as number) >= end) continue
    const columns = decodeColumns(new Uint8Array(block.columns), block.line_count)
    for (; k < lines.length && (lines[k] as number) < end; k++) {
      const line = lines[k] as number
      columns.templates[line - block.first_line] = changes.get(line) as number
    }
    write.run(encodeColumns(columns, block.line_count), sourceId, block.block_no)
  }
  const flagged = db.prepare(`SELECT line_no FROM anomalies WHERE source_id = ?`).pluck().all(sourceId) as number[]
  const retag = db.prepare(`UPDATE anomalies SET template_id = ? WHERE source_id = ? AND line_no = ?`)
  for (const line of flagged) {
    const id = changes.get(line)
    if (id !== undefined) retag.run(id, sourceId, line)
  }
}

/**
 * Brings the store's in-memory index in line with a committed rewrite: the column itself, the
 * block summaries (templates present), the cached decoded blocks and the posting lists.
 */
export function reindexTemplateColumn(store: CaseStore, sourceId: number, changes: ReadonlyMap<number, number>): void {
  const index = store.index(sourceId)
  for (const [line, id] of changes) if (line <= index.length) index.templates[line - 1] = id
  // Re-summarises every block from the columns in memory and drops the decoded-block cache.
  store.scoresChanged(sourceId)
  // The posting lists are rebuilt when the index looks shorter than they cover: building them
  // over no line once leaves them stale, so the next use rebuilds them over every line.
  // (LineIndex has no public "column changed" call; this keeps the edit out of case/.)
  const length = index.length
  index.length = 0
  index.templatePostings()
  index.length = length
}
