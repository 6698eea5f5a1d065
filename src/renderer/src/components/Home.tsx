import { useState } from 'react'
import type { ReactNode } from 'react'
import type { AppInfo, LogEntry, Theme } from '../../../shared/api/contract.ts'
import { formatLogEntry } from '../api/use-engine.ts'
import { LogText } from './LogText.tsx'
import { OpenPanel } from './OpenPanel.tsx'
import type { OpenPanelProps } from './OpenPanel.tsx'
import { ProgressBar } from './ProgressBar.tsx'

export interface HomeProps extends OpenPanelProps {
  info: AppInfo | null
  log: LogEntry[]
  theme: Theme
  /** Files dropped on the page (uploaded by the browser, opened in place by the desktop app). */
  onDropFiles: (files: File[]) => void
  /** Long work before a case opens (an upload, learning a baseline), with how far it has got. */
  activity: { message: string; share: number | null } | null
  /** Shown under the open panel: cases opened before. */
  recent: ReactNode
}

/** The start screen: what engine this is, and its own log as a first thing to read. */
export function Home({ info, log, theme, onDropFiles, activity, recent, ...open }: HomeProps) {
  const [dragging, setDragging] = useState(false)
  const droppable = true
  return (
    <main
      className={`home${dragging ? ' dragging' : ''}`}
      onDragOver={(event) => {
        if (!droppable || !event.dataTransfer.types.includes('Files')) return
        event.preventDefault()
        setDragging(true)
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        if (!droppable) return
        event.preventDefault()
        setDragging(false)
        onDropFiles([...event.dataTransfer.files])
      }}
    >
      {dragging && <div className="drop-overlay">Drop a log file to open it</div>}
      {activity && (
        <div className="activity-overlay">
          <div className="activity-card" role="status" data-testid="home-activity">
            <span>
              {activity.message}
              {activity.share !== null && ` ${Math.round(activity.share * 100)}%`}
            </span>
            <ProgressBar share={activity.share} />
          </div>
        </div>
      )}
      <section className="home-intro">
        <h1>Faultline</h1>
        <p>
          Open an incident log dump, find the lines that do not fit, and take the evidence to the postmortem: format
          detection, template mining and structural anomaly scoring, all on this machine.
        </p>
        <OpenPanel {...open} />
        {recent}
        {info && (
          <dl className="engine-facts" data-testid="engine-facts">
            <dt>Engine</dt>
            <dd>{info.version}</dd>
            <dt>SQLite</dt>
            <dd>{info.runtime.sqlite}</dd>
            <dt>Runtime</dt>
            <dd>
              Node {info.runtime.node} · {info.runtime.platform}
            </dd>
            <dt>Data folder</dt>
            <dd className="mono">{info.dataDir}</dd>
          </dl>
        )}
      </section>
      <section className="home-log" aria-label="Engine log">
        <h2>Engine log</h2>
        <LogText text={log.map(formatLogEntry).join('\n')} theme={theme} follow ariaLabel="Engine log" />
      </section>
    </main>
  )
}
