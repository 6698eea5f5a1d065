/**
 * The part of the API contract for taking evidence to the postmortem: bookmarks ("this
 * matters"), and exports of the flagged and bookmarked lines with context, as CSV, JSON Lines or
 * a Markdown report, optionally redacted.
 */
import { z } from 'zod'
import { downloadSchema } from './model-contract.ts'

const caseId = z.string().min(1).max(200)
const sourceId = z.number().int().positive()

export const exportFormatSchema = z.enum(['csv', 'jsonl', 'md'])
export type ExportFormatView = z.infer<typeof exportFormatSchema>

export const exportOptionsSchema = z.object({
  /** Lines of context around each flagged or bookmarked line. */
  context: z.number().int().min(0).max(1_000).default(3),
  /** Replace addresses, e-mails, host and user names, tokens and ids with consistent placeholders. */
  redact: z.boolean().default(false)
})

export const bookmarkSchema = z.object({ id: z.number(), lineNo: z.number(), note: z.string().nullable(), createdAt: z.number() })
export type BookmarkView = z.infer<typeof bookmarkSchema>

export const exportRequests = {
  /** "This matters": bookmarks a line for the export (`on: false` takes it back). */
  'case.bookmark': {
    params: z.object({ caseId, sourceId, lineNo: z.number().int().min(1), on: z.boolean() }).strict(),
    result: z.object({ bookmarked: z.boolean() })
  },
  'case.bookmarks': { params: z.object({ caseId, sourceId }).strict(), result: z.object({ bookmarks: z.array(bookmarkSchema) }) },
  /** Writes the export and offers it as a download. */
  'case.export': {
    params: exportOptionsSchema.extend({ caseId, sourceId, format: exportFormatSchema }).strict(),
    result: downloadSchema.extend({ records: z.number(), flagged: z.number(), bookmarked: z.number() })
  },
  /** The Markdown report as text, for the clipboard (refused when too large to paste). */
  'case.reportMarkdown': {
    params: exportOptionsSchema.extend({ caseId, sourceId }).strict(),
    result: z.object({ markdown: z.string() })
  }
} as const
