import type { AppInfo } from '../../../shared/api/contract.ts'
import type { ConnectionState } from '../api/socket-bridge.ts'

export interface StatusBarProps {
  info: AppInfo | null
  transport: 'electron' | 'web'
  connection: ConnectionState
}

export function StatusBar({ info, transport, connection }: StatusBarProps) {
  return (
    <footer className="status-bar" data-testid="status-bar">
      <span className={`status-connection status-${connection}`} data-testid="connection">
        {connection === 'open' ? '● connected' : connection === 'connecting' ? '○ connecting…' : '○ disconnected'}
      </span>
      <span>{transport === 'electron' ? 'Desktop' : 'Browser (loopback host)'}</span>
      <span className="status-spacer" />
      {info && (
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
