import { useState } from 'react'

export interface OpenPanelProps {
  busy: boolean
  /** Desktop: a native file dialog; the browser host has a path field and drag and drop. */
  transport: 'electron' | 'web'
  onOpenSample: () => void
  onOpenPath: (path: string, baseline: string[]) => void
  onPickFile: () => void
}

/** The ways into an investigation: the bundled sample, or a log on this machine. */
export function OpenPanel({ busy, transport, onOpenSample, onOpenPath, onPickFile }: OpenPanelProps) {
  const [path, setPath] = useState('')
  const [baseline, setBaseline] = useState('')
  return (
    <div className="open-panel">
      <button type="button" className="primary-button" data-testid="open-sample" disabled={busy} onClick={onOpenSample}>
        Open the sample incident
      </button>
      <p className="hint">A web shop's services during a payments database outage, scored against a known-good quarter hour.</p>
      {transport === 'electron' && (
        <button type="button" className="secondary-button" disabled={busy} onClick={onPickFile}>
          Open a log file…
        </button>
      )}
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
          Log file on this machine{transport === 'web' && <span className="optional"> (or drop a file anywhere on this page)</span>}
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
    </div>
  )
}
