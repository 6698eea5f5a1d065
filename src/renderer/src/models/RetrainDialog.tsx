/**
 * "Teach Faultline what normal looks like": known-good files, the time range brushed on the
 * timeline, or a stretch of lines of this very case. Training and re-scoring then run in the
 * background; the case bar shows how far they got and what changed.
 */
import { useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { BaselineChoice } from '../../../shared/api/model-contract.ts'
import { uploadFile } from '../api/upload.ts'
import { Dialog } from '../components/Dialog.tsx'
import { describeTimeRange, formatCount } from '../workspace/format.ts'

export interface RetrainDialogProps {
  api: FaultlineApi
  transport: 'electron' | 'web'
  caseId: string
  sourceId: number
  totalLines: number
  /** The time range selected on the timeline, if any. */
  range: { fromTs: number; toTs: number } | null
  onClose: () => void
  onError: (error: unknown) => void
}

type Kind = BaselineChoice['kind']

export function RetrainDialog({ api, transport, caseId, sourceId, totalLines, range, onClose, onError }: RetrainDialogProps) {
  const [kind, setKind] = useState<Kind>(range ? 'time' : 'files')
  const [paths, setPaths] = useState('')
  const [fromLine, setFromLine] = useState(1)
  const [toLine, setToLine] = useState(Math.max(1, Math.min(totalLines, 10_000)))
  const [name, setName] = useState('')
  const [uploading, setUploading] = useState<string | null>(null)

  const fileList = paths
    .split(/\n/)
    .map((p) => p.trim())
    .filter(Boolean)
  const choice: BaselineChoice | null =
    kind === 'files'
      ? fileList.length > 0
        ? { kind, paths: fileList }
        : null
      : kind === 'time'
        ? range && { kind, sourceId, ...range }
        : fromLine >= 1 && toLine >= fromLine
          ? { kind, sourceId, fromLine, toLine: Math.min(toLine, totalLines) }
          : null

  const addPaths = (more: string[]): void => setPaths((text) => [...text.split('\n').filter((p) => p.trim()), ...more].join('\n'))

  return (
    <Dialog
      title="Train on a known-good baseline"
      testId="retrain-dialog"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="secondary-button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="primary-button"
            data-testid="start-training"
            disabled={choice === null || uploading !== null}
            onClick={() => {
              if (!choice) return
              api
                .request('case.retrain', { caseId, baseline: choice, ...(name.trim() && { name: name.trim() }) })
                .then(onClose, onError)
            }}
          >
            Train and re-score
          </button>
        </>
      }
    >
      <p className="hint">
        The new model joins the library and this case is re-scored in place; the case bar then says how many lines were newly flagged or cleared.
      </p>
      <fieldset>
        <legend>What is normal</legend>
        <label className="choice">
          <input type="radio" name="baseline" data-testid="baseline-files" checked={kind === 'files'} onChange={() => setKind('files')} />
          Known-good log files
        </label>
        {kind === 'files' && (
          <>
            {transport === 'web' ? (
              <textarea
                className="mono"
                rows={3}
                data-testid="baseline-paths"
                placeholder="/var/log/last-week/app.log (one path a line)"
                value={paths}
                onChange={(event) => setPaths(event.target.value)}
              />
            ) : (
              <p className="mono hint" data-testid="baseline-chosen">
                {fileList.length > 0 ? fileList.join('\n') : 'No file chosen yet'}
              </p>
            )}
            {transport === 'electron' ? (
              <button
                type="button"
                className="secondary-button"
                onClick={() =>
                  api.request('app.pickFiles', { title: 'Choose known-good log files', multiple: true }).then(({ paths: picked }) => addPaths(picked), onError)
                }
              >
                Choose files…
              </button>
            ) : (
              <label>
                {uploading ? `Uploading ${uploading}…` : 'or upload files from this computer'}
                <input
                  type="file"
                  multiple
                  disabled={uploading !== null}
                  onChange={(event) => {
                    const files = [...(event.target.files ?? [])]
                    event.target.value = ''
                    void (async () => {
                      try {
                        for (const file of files) {
                          setUploading(file.name)
                          addPaths([await uploadFile(file, () => {})])
                        }
                      } catch (error) {
                        onError(error)
                      } finally {
                        setUploading(null)
                      }
                    })()
                  }}
                />
              </label>
            )}
          </>
        )}
        <label className="choice">
          <input type="radio" name="baseline" data-testid="baseline-time" disabled={!range} checked={kind === 'time'} onChange={() => setKind('time')} />
          {range ? `The time range selected on the timeline (${describeTimeRange(range.fromTs, range.toTs)})` : 'A time range (brush one on the timeline first)'}
        </label>
        <label className="choice">
          <input type="radio" name="baseline" data-testid="baseline-lines" checked={kind === 'lines'} onChange={() => setKind('lines')} />
          Lines of this case
        </label>
        {kind === 'lines' && (
          <div className="line-range">
            <label>
              from line
              <input type="number" min={1} max={totalLines} value={fromLine} onChange={(event) => setFromLine(Number(event.target.value))} />
            </label>
            <label>
              to line (of {formatCount(totalLines)})
              <input type="number" min={1} max={totalLines} value={toLine} onChange={(event) => setToLine(Number(event.target.value))} />
            </label>
          </div>
        )}
      </fieldset>
      <label>
        Model name <span className="optional">(optional)</span>
        <input type="text" value={name} placeholder="e.g. checkout, quiet Tuesday" onChange={(event) => setName(event.target.value)} />
      </label>
    </Dialog>
  )
}
