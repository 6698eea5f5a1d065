/**
 * Exports and bookmarks of an open case: the workspace's side of "take the evidence to the
 * postmortem". Exports stream to a file (a 10M-line case exports without building one string);
 * the Markdown for the clipboard is capped, since nobody pastes a 100 MB report.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { rename, rm } from 'node:fs/promises'
import { ApiError } from '../../shared/api/errors.ts'
import type { BookmarkView, ExportFormatView } from '../../shared/api/export-contract.ts'
import type { CaseStore } from '../case/case-store.ts'
import { addBookmark, listMarks, removeMark } from '../case/marks.ts'
import { exportCase, markdownReport } from '../export/index.ts'
import type { ExportStats } from '../export/index.ts'

/** Characters of Markdown "copy as Markdown" hands over at most. */
export const maxClipboardChars = 4_000_000

export function setBookmark(store: CaseStore, sourceId: number, lineNo: number, on: boolean, now: number): boolean {
  try {
    if (on) {
      addBookmark(store.db, sourceId, lineNo, now)
      return true
    }
    for (const mark of listMarks(store.db, sourceId, { kind: 'bookmark', from: lineNo, to: lineNo })) removeMark(store.db, mark.id)
    return false
  } catch (error) {
    throw new ApiError('invalid_params', error instanceof Error ? error.message : String(error))
  }
}

export function bookmarks(store: CaseStore, sourceId: number): BookmarkView[] {
  return listMarks(store.db, sourceId, { kind: 'bookmark' }).map((m) => ({ id: m.id, lineNo: m.lineNo, note: m.note, createdAt: m.createdAt }))
}

/** Writes the export to `path` (beside it first, so a failure leaves no half file). */
export async function exportToFile(
  store: CaseStore,
  sourceId: number,
  path: string,
  options: { format: ExportFormatView; context: number; redact: boolean; now: number }
): Promise<ExportStats> {
  const partial = `${path}.partial`
  const out = createWriteStream(partial)
  try {
    const stats = await exportCase(store, sourceId, { format: options.format, context: options.context, redact: options.redact, now: new Date(options.now) }, async (chunk) => {
      if (!out.write(chunk)) await once(out, 'drain')
    })
    out.end()
    await once(out, 'close')
    await rename(partial, path)
    return stats
  } catch (error) {
    out.destroy()
    await rm(partial, { force: true })
    throw error
  }
}

export function reportForClipboard(store: CaseStore, sourceId: number, options: { context: number; redact: boolean; now: number }): string {
  const markdown = markdownReport(store, sourceId, { context: options.context, redact: options.redact, now: new Date(options.now) })
  if (markdown.length > maxClipboardChars) {
    throw new ApiError('invalid_params', `The report is ${(markdown.length / 1e6).toFixed(1)} MB, too large to paste: export it as a Markdown file instead`)
  }
  return markdown
}
