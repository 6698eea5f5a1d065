import { useCallback, useEffect, useState } from 'react'
import { ApiError } from '../../shared/api/errors.ts'
import type { ConnectionState } from './api/socket-bridge.ts'
import type { PickedBridge } from './api/pick-bridge.ts'
import { useAppInfo, useEngineLog, useSettings } from './api/use-engine.ts'
import { Home } from './components/Home.tsx'
import { Notifications } from './components/Notifications.tsx'
import type { Notice } from './components/Notifications.tsx'
import { StatusBar } from './components/StatusBar.tsx'

let nextNoticeId = 1

export function App({ picked }: { picked: PickedBridge }) {
  const [notices, setNotices] = useState<Notice[]>([])
  const [connection, setConnection] = useState<ConnectionState>(picked.onState ? 'connecting' : 'open')

  const reportError = useCallback((error: unknown) => {
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error)
    setNotices((previous) => [...previous.slice(-4), { id: nextNoticeId++, level: 'error', message }])
  }, [])

  useEffect(() => picked.onState?.(setConnection), [picked])

  const info = useAppInfo(reportError)
  const { settings, update } = useSettings(reportError)
  const log = useEngineLog(reportError)
  const theme = settings?.theme ?? 'dark'

  useEffect(() => {
    document.documentElement.dataset.theme = theme
  }, [theme])

  return (
    <div className="app">
      <header className="title-bar">
        <span className="brand">Faultline</span>
        <span className="title-spacer" />
        <button
          type="button"
          className="icon-button"
          data-testid="theme-toggle"
          aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          title={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
          disabled={!settings}
          onClick={() => update({ theme: theme === 'dark' ? 'light' : 'dark' })}
        >
          {theme === 'dark' ? '☀' : '☾'}
        </button>
      </header>
      <Home info={info} log={log} theme={theme} />
      <Notifications notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
      <StatusBar info={info} transport={picked.transport} connection={connection} />
    </div>
  )
}
