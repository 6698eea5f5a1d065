/**
 * Take the evidence to the postmortem: flagged and bookmarked lines with context, as CSV, JSON
 * Lines or a Markdown report (download, or copy the report as Markdown), optionally redacted.
 */
import { useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { ExportFormatView } from '../../../shared/api/export-contract.ts'
import { deliverDownload } from '../api/download.ts'
import { Dialog } from '../components/Dialog.tsx'
import { formatCount } from '../workspace/format.ts'

export interface ExportDialogProps {
  api: FaultlineApi
  transport: 'electron' | 'web'
  caseId: string
  sourceId: number
  flagged: number
  bookmarks: number
  onClose: () => void
  onNotice: (message: string) => void
  onError: (error: unknown) => void
}

const formats: { id: ExportFormatView; label: string; hint: string }[] = [
  { id: 'md', label: 'Markdown report', hint: 'source, model, counts, top templates, a timeline chart and every flagged line with its reasons' },
  { id: 'csv', label: 'CSV', hint: 'one row a line, for a spreadsheet' },
  { id: 'jsonl', label: 'JSON Lines', hint: 'one object a line, for scripts' }
]

export function ExportDialog({ api, transport, caseId, sourceId, flagged, bookmarks, onClose, onNotice, onError }: ExportDialogProps) {
  const [format, setFormat] = useState<ExportFormatView>('md')
  const [context, setContext] = useState(3)
  const [redact, setRedact] = useState(false)
  const [busy, setBusy] = useState<string | null>(null)
  const run = (what: string, work: () => Promise<string | null>): void => {
    setBusy(what)
    work()
      .then((message) => {
        if (message) onNotice(message)
        onClose()
      }, onError)
      .finally(() => setBusy(null))
  }
  return (
    <Dialog
      title="Export for the postmortem"
      testId="export-dialog"
      onClose={onClose}
      footer={
        <>
          <button
            type="button"
            className="secondary-button"
            data-testid="copy-markdown"
            disabled={busy !== null}
            onClick={() =>
              run('copy', async () => {
                const { markdown } = await api.request('case.reportMarkdown', { caseId, sourceId, context, redact })
                await navigator.clipboard.writeText(markdown)
                return `Copied the report (${formatCount(markdown.length)} characters) as Markdown`
              })
            }
          >
            {busy === 'copy' ? 'Copying…' : 'Copy as Markdown'}
          </button>
          <span className="title-spacer" />
          <button
            type="button"
            className="primary-button"
            data-testid="start-export"
            disabled={busy !== null}
            onClick={() =>
              run('export', async () => {
                const download = await api.request('case.export', { caseId, sourceId, format, context, redact })
                return deliverDownload(api, transport, download)
              })
            }
          >
            {busy === 'export' ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      <p className="hint">
        {formatCount(flagged)} flagged {flagged === 1 ? 'line' : 'lines'} and {formatCount(bookmarks)} {bookmarks === 1 ? 'bookmark' : 'bookmarks'} (B on a line
        bookmarks it), each with its context.
      </p>
      <fieldset>
        <legend>Format</legend>
        {formats.map((f) => (
          <label key={f.id} className="choice">
            <input type="radio" name="format" data-testid={`format-${f.id}`} checked={format === f.id} onChange={() => setFormat(f.id)} />
            <span>
              {f.label} <span className="hint">— {f.hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label>
        Lines of context around each
        <input
          type="number"
          min={0}
          max={1000}
          value={context}
          data-testid="export-context"
          onChange={(event) => setContext(Math.max(0, Math.min(1_000, Number(event.target.value) || 0)))}
        />
      </label>
      <label className="choice">
        <input type="checkbox" data-testid="export-redact" checked={redact} onChange={(event) => setRedact(event.target.checked)} />
        <span>
          Redact <span className="hint">— addresses, e-mails, host and user names, tokens and keys, ids: the same value gets the same placeholder</span>
        </span>
      </label>
    </Dialog>
  )
}
