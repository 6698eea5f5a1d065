import type { CaseSummary } from '../../../shared/api/case-contract.ts'
import type { AppInfo } from '../../../shared/api/contract.ts'
import type { ConnectionState } from '../api/socket-bridge.ts'

export interface StatusBarProps {
  info: AppInfo | null
  transport: 'electron' | 'web'
  connection: ConnectionState
  openCase: CaseSummary | null
}

export function StatusBar({ info, transport, connection, openCase }: StatusBarProps) {
  const source = openCase?.sources[0]
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-connection status-${connection}`} data-testid="connection">
        {connection === 'open' ? '● connected' : connection === 'connecting' ? '○ connecting…' : '○ disconnected'}
      </span>
      <span>{transport === 'electron' ? 'Desktop' : 'Browser (loopback host)'}</span>
      {openCase && source && (
        <>
          {openCase.sources.length > 1 ? (
            <>
              <span data-testid="status-file">{openCase.sources.length} sources</span>
              <span data-testid="status-lines">{openCase.sources.reduce((sum, s) => sum + s.lines, 0).toLocaleString('en-US')} lines</span>
            </>
          ) : (
            <>
              <span data-testid="status-file">{source.name}</span>
              {source.format && <span className="mono">{source.format}</span>}
              <span data-testid="status-lines">{source.lines.toLocaleString('en-US')} lines</span>
            </>
          )}
          <span data-testid="status-model">{openCase.model ? `model: ${openCase.model.name}` : 'no model'}</span>
          <span data-testid="status-anomalies">{openCase.anomalies.toLocaleString('en-US')} anomalies</span>
        </>
      )}
      <span className="status-spacer" />
      {info && !openCase && (
        <>
          <span data-testid="engine-version">
            {info.name} {info.version}
          </span>
          <span data-testid="sqlite-version">SQLite {info.runtime.sqlite}</span>
          <span>Node {info.runtime.node}</span>
        </>
      )}
    </footer>
  )
}
