/** The export requests of the contract: bookmarks, exports as downloads, Markdown for the clipboard. */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Handlers } from '../api/router.ts'
import type { Workspace } from '../workspace/workspace.ts'
import type { Clock } from './deps.ts'
import { safeFileName } from './downloads.ts'
import type { Downloads } from './downloads.ts'

export type ExportHandlerName = 'case.bookmark' | 'case.bookmarks' | 'case.export' | 'case.reportMarkdown'

const mime = { csv: 'text/csv', jsonl: 'application/x-ndjson', md: 'text/markdown' } as const

export function exportHandlers(deps: { workspace: Workspace; downloads: Downloads; dataDir: string; clock: Clock }): Pick<Handlers, ExportHandlerName> {
  const { workspace, downloads, clock } = deps
  return {
    'case.bookmark': ({ caseId, sourceId, lineNo, on }) => ({ bookmarked: workspace.bookmark(caseId, sourceId, lineNo, on) }),
    'case.bookmarks': ({ caseId, sourceId }) => ({ bookmarks: workspace.bookmarks(caseId, sourceId) }),
    'case.export': async ({ caseId, sourceId, format, context, redact }) => {
      const summary = workspace.summary(caseId)
      const dir = join(deps.dataDir, 'exports')
      mkdirSync(dir, { recursive: true })
      const source = summary.sources.find((s) => s.id === sourceId)
      const stamp = new Date(clock.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-')
      const name = safeFileName(`${(source?.name ?? summary.title).replace(/\.(log|txt)(\.gz)?$/i, '')}-flagged${redact ? '-redacted' : ''}-${stamp}.${format}`)
      const path = join(dir, name)
      const stats = await workspace.exportTo(caseId, sourceId, path, { format, context, redact })
      return { ...downloads.offer(path, name, mime[format]), records: stats.records, flagged: stats.flagged, bookmarked: stats.bookmarked }
    },
    'case.reportMarkdown': ({ caseId, sourceId, context, redact }) => ({ markdown: workspace.reportMarkdown(caseId, sourceId, { context, redact }) })
  }
}
