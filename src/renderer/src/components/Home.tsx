import type { AppInfo, LogEntry, Theme } from '../../../shared/api/contract.ts'
import { formatLogEntry } from '../api/use-engine.ts'
import { LogText } from './LogText.tsx'

export interface HomeProps {
  info: AppInfo | null
  log: LogEntry[]
  theme: Theme
}

/** The start screen: what engine this is, and its own log as a first thing to read. */
export function Home({ info, log, theme }: HomeProps) {
  return (
    <main className="home">
      <section className="home-intro">
        <h1>Faultline</h1>
        <p>
          Open an incident log dump, find the lines that do not fit, and take the evidence to the postmortem: format
          detection, template mining and structural anomaly scoring, all on this machine.
        </p>
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
