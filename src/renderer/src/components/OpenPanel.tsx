import { useState } from 'react'

export interface OpenPanelProps {
  busy: boolean
  /**
   * Desktop: native file dialogs (the main process opens only files the user chose there, dropped
   * or reopened); the browser host has path fields and drag and drop.
   */
  transport: 'electron' | 'web'
  onOpenSample: () => void
  onOpenPath: (path: string, baseline: string[]) => void
  /** Desktop: choose the log in a dialog, then open it against `baseline`. */
  onPickFile: (baseline: string[]) => void
  /** Desktop: choose baseline files in a dialog. */
  onPickBaseline: () => Promise<string[]>
}

/** The ways into an investigation: the bundled sample, or a log on this machine. */
export function OpenPanel({ busy, transport, onOpenSample, onOpenPath, onPickFile, onPickBaseline }: OpenPanelProps) {
  const [path, setPath] = useState('')
  const [baseline, setBaseline] = useState('')
  const [pickedBaseline, setPickedBaseline] = useState<string[]>([])
  return (
    <div className="open-panel">
      <button type="button" className="primary-button" data-testid="open-sample" disabled={busy} onClick={onOpenSample}>
        Open the sample incident
      </button>
      <p className="hint">A web shop's services during a payments database outage, scored against a known-good quarter hour.</p>
      {transport === 'electron' ? (
        <div className="open-form">
          <button type="button" className="secondary-button" disabled={busy} onClick={() => onPickFile(pickedBaseline)}>
            Open a log file…
          </button>
          <div className="picked-baseline">
            <button type="button" className="text-button" disabled={busy} onClick={() => void onPickBaseline().then(setPickedBaseline)}>
              {pickedBaseline.length > 0 ? 'Change the baseline…' : 'Choose a known-good baseline…'}
            </button>
            <span className="hint">
              {pickedBaseline.length > 0
                ? pickedBaseline.map((p) => p.split(/[\\/]/).pop()).join(', ')
                : 'optional; without one the file is its own reference. Or drop a log anywhere on this window.'}
            </span>
          </div>
        </div>
      ) : (
        <form
          className="open-form"
          onSubmit={(event) => {
            event.preventDefault()
            if (path.trim()) {
              onOpenPath(
                path.trim(),
                baseline
                  .split(/[\n,]/)
                  .map((p) => p.trim())
                  .filter(Boolean)
              )
            }
          }}
        >
          <label>
            Log file on this machine <span className="optional"> (or drop a file anywhere on this page)</span>
            <input
              data-testid="open-path"
              className="mono"
              placeholder="/var/log/incident/app.log.gz"
              value={path}
              onChange={(event) => setPath(event.target.value)}
            />
          </label>
          <label>
            Known-good baseline <span className="optional">(optional; without one the file is its own reference)</span>
            <input
              data-testid="open-baseline"
              className="mono"
              placeholder="/var/log/last-week/app.log"
              value={baseline}
              onChange={(event) => setBaseline(event.target.value)}
            />
          </label>
          <button type="submit" className="secondary-button" disabled={busy || !path.trim()}>
            Open
          </button>
        </form>
      )}
    </div>
  )
}
