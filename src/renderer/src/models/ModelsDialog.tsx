/**
 * The model library: every model trained or imported, with what it learnt from and how
 * sensitive it is; use one for the open case, rename, export, delete, import a model file, or
 * train a new one.
 */
import { useRef, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { ModelEntry } from '../../../shared/models/model-entry.ts'
import { deliverDownload } from '../api/download.ts'
import { uploadFile } from '../api/upload.ts'
import { Dialog } from '../components/Dialog.tsx'
import { formatCount, utcDate, utcTime } from '../workspace/format.ts'
import { useModels } from './use-models.ts'
import './models.css'

export interface ModelsDialogProps {
  api: FaultlineApi
  transport: 'electron' | 'web'
  caseId: string
  /** The library id of the model the case is scored with, when it came from the library. */
  activeId: string | null
  /** A training or re-scoring is running for this case. */
  busy: boolean
  onTrainNew: () => void
  onClose: () => void
  onError: (error: unknown) => void
  onNotice: (message: string) => void
}

export function ModelsDialog({ api, transport, caseId, activeId, busy, onTrainNew, onClose, onError, onNotice }: ModelsDialogProps) {
  const { models, refresh } = useModels(api, onError)
  const [renaming, setRenaming] = useState<{ id: string; name: string } | null>(null)
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null)
  const fileInput = useRef<HTMLInputElement>(null)

  const run = (work: Promise<unknown>, done?: string): void => {
    work.then(() => {
      refresh()
      if (done) onNotice(done)
    }, onError)
  }

  const importFromPath = (path: string): void => run(api.request('models.import', { path }), 'Model imported')

  return (
    <Dialog
      title="Models"
      testId="models-dialog"
      wide
      onClose={onClose}
      footer={
        <>
          <button
            type="button"
            className="secondary-button"
            data-testid="import-model"
            onClick={() => {
              if (transport === 'electron') {
                api.request('app.pickFiles', { title: 'Import a Faultline model' }).then(({ paths }) => paths[0] && importFromPath(paths[0]), onError)
              } else fileInput.current?.click()
            }}
          >
            Import a model file…
          </button>
          <span className="title-spacer" />
          <button type="button" className="primary-button" data-testid="train-new-model" disabled={busy} onClick={onTrainNew}>
            Train on a baseline…
          </button>
        </>
      }
    >
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0]
          event.target.value = ''
          if (file) uploadFile(file, () => {}).then(importFromPath, onError)
        }}
      />
      {models === null ? (
        <p className="hint">Loading…</p>
      ) : models.length === 0 ? (
        <p className="hint" data-testid="models-empty">
          No models yet. Train one on a known-good baseline (files, or a quiet stretch of this case), or import a model file.
        </p>
      ) : (
        <table className="models-table" data-testid="models-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Learnt from</th>
              <th className="num">Lines</th>
              <th className="num">Templates</th>
              <th className="num" title="Lines scoring at least this are flagged; the share is what it flags of its own baseline">
                Sensitivity
              </th>
              <th>Created</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <ModelRow
                key={model.id}
                model={model}
                active={model.id === activeId}
                busy={busy}
                renaming={renaming?.id === model.id ? renaming.name : null}
                confirmingDelete={confirmDelete === model.id}
                onRenameStart={() => setRenaming({ id: model.id, name: model.name })}
                onRenameChange={(name) => setRenaming({ id: model.id, name })}
                onRenameDone={(name) => {
                  setRenaming(null)
                  if (name !== null && name.trim() && name.trim() !== model.name) run(api.request('models.rename', { id: model.id, name }))
                }}
                onUse={() =>
                  api.request('case.useModel', { caseId, modelId: model.id }).then(() => {
                    onNotice(`Re-scoring with ${model.name}…`)
                    onClose()
                  }, onError)
                }
                onExport={() =>
                  api
                    .request('models.export', { id: model.id })
                    .then((download) => deliverDownload(api, transport, download))
                    .then((message) => message && onNotice(message), onError)
                }
                onDelete={() => {
                  if (confirmDelete !== model.id) return setConfirmDelete(model.id)
                  setConfirmDelete(null)
                  run(api.request('models.delete', { id: model.id }), `Deleted ${model.name}`)
                }}
              />
            ))}
          </tbody>
        </table>
      )}
    </Dialog>
  )
}

interface ModelRowProps {
  model: ModelEntry
  active: boolean
  busy: boolean
  renaming: string | null
  confirmingDelete: boolean
  onRenameStart: () => void
  onRenameChange: (name: string) => void
  onRenameDone: (name: string | null) => void
  onUse: () => void
  onExport: () => void
  onDelete: () => void
}

function ModelRow({ model, active, busy, renaming, confirmingDelete, onRenameStart, onRenameChange, onRenameDone, onUse, onExport, onDelete }: ModelRowProps) {
  const learnt = model.sources.map((s) => s.path.split(/[\\/]/).pop() ?? s.path).join(', ')
  return (
    <tr data-testid="model-row" className={active ? 'active' : undefined}>
      <td>
        {renaming !== null ? (
          <input
            type="text"
            aria-label="Model name"
            autoFocus
            value={renaming}
            onChange={(event) => onRenameChange(event.target.value)}
            onBlur={() => onRenameDone(renaming)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') onRenameDone(renaming)
              if (event.key === 'Escape') {
                event.stopPropagation()
                event.preventDefault()
                onRenameDone(null)
              }
            }}
          />
        ) : (
          <button type="button" className="model-name" title="Rename" onClick={onRenameStart}>
            {model.name}
          </button>
        )}
        {active && <span className="badge">in use</span>}
        {model.mode === 'self' && <span className="badge muted">self-trained</span>}
      </td>
      <td className="mono learnt" title={model.sources.map((s) => s.path).join('\n')}>
        {learnt}
      </td>
      <td className="num">{formatCount(model.lines)}</td>
      <td className="num">{formatCount(model.templates)}</td>
      <td className="num">
        ≥ {model.lineThreshold.toFixed(2)} · {(model.falseAlarmRate * 100).toFixed(2)}%
      </td>
      <td className="nowrap">
        {utcDate(model.createdAt)} {utcTime(model.createdAt, 'never').slice(0, 5)}
      </td>
      <td className="row-actions">
        <button type="button" className="text-button" data-testid="use-model" disabled={active || busy} onClick={onUse}>
          Use
        </button>
        <button type="button" className="text-button" onClick={onExport}>
          Export
        </button>
        <button type="button" className={`text-button${confirmingDelete ? ' danger' : ''}`} onClick={onDelete}>
          {confirmingDelete ? 'Really delete?' : 'Delete'}
        </button>
      </td>
    </tr>
  )
}
