import { useCallback, useEffect, useState } from 'react'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import { ApiError } from '../../shared/api/errors.ts'
import { useApi } from './api/api-context.tsx'
import { uploadFile } from './api/upload.ts'
import type { ConnectionState } from './api/socket-bridge.ts'
import type { PickedBridge } from './api/pick-bridge.ts'
import { useAppInfo, useEngineLog, useSettings } from './api/use-engine.ts'
import { Home } from './components/Home.tsx'
import { Notifications } from './components/Notifications.tsx'
import type { Notice } from './components/Notifications.tsx'
import { RecentCases } from './components/RecentCases.tsx'
import { StatusBar } from './components/StatusBar.tsx'
import { Workspace } from './workspace/Workspace.tsx'

let nextNoticeId = 1

export function App({ picked }: { picked: PickedBridge }) {
  const [notices, setNotices] = useState<Notice[]>([])
  const [connection, setConnection] = useState<ConnectionState>(picked.onState ? 'connecting' : 'open')

  const reportError = useCallback((error: unknown) => {
    const message = error instanceof ApiError || error instanceof Error ? error.message : String(error)
    setNotices((previous) => [...previous.slice(-4), { id: nextNoticeId++, level: 'error', message }])
  }, [])

  const notify = useCallback((message: string) => {
    setNotices((previous) => [...previous.slice(-4), { id: nextNoticeId++, level: 'info', message }])
  }, [])

  useEffect(() => picked.onState?.(setConnection), [picked])

  const api = useApi()
  const [openCase, setOpenCase] = useState<CaseSummary | null>(null)
  const [busy, setBusy] = useState(false)
  const [upload, setUpload] = useState<{ name: string; share: number } | null>(null)
  const openPath = useCallback(
    (path: string, baseline: string[]) => {
      setBusy(true)
      api
        .request('case.open', { path, baseline })
        .then(setOpenCase, reportError)
        .finally(() => setBusy(false))
    },
    [api, reportError]
  )
  const info = useAppInfo(reportError)

  // Launched to show the sample incident (`npm start`): open it once, then drop the request
  // from the address so a reload lands on the start screen.
  useEffect(() => {
    const params = new URLSearchParams(window.location.search)
    if (params.get('open') !== 'sample') return
    params.delete('open')
    const rest = params.toString()
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}${window.location.hash}`)
    api.request('sample.open').then(setOpenCase, reportError)
  }, [api, reportError])
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
        {openCase && (
          <button
            type="button"
            className="text-button"
            data-testid="close-case"
            onClick={() => {
              void api.request('case.close', { caseId: openCase.caseId }).catch(reportError)
              setOpenCase(null)
            }}
          >
            Close case
          </button>
        )}
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
      {openCase ? (
        <Workspace
          api={api}
          initial={openCase}
          theme={theme}
          transport={picked.transport}
          onSummary={setOpenCase}
          onError={reportError}
          onNotice={notify}
        />
      ) : (
        <Home
          info={info}
          log={log}
          theme={theme}
          busy={busy}
          onOpenSample={() => {
            setBusy(true)
            api
              .request('sample.open')
              .then(setOpenCase, reportError)
              .finally(() => setBusy(false))
          }}
          transport={picked.transport}
          onOpenPath={openPath}
          onPickFile={() => {
            api
              .request('app.pickFiles', { title: 'Open a log file' })
              .then(({ paths }) => paths[0] && openPath(paths[0], []), reportError)
          }}
          onDropFiles={(files) => {
            const file = files[0]
            if (!file) return
            setBusy(true)
            setUpload({ name: file.name, share: 0 })
            uploadFile(file, (share) => setUpload({ name: file.name, share }))
              .then((path) => api.request('case.open', { path, baseline: [] }))
              .then(setOpenCase, reportError)
              .finally(() => {
                setBusy(false)
                setUpload(null)
              })
          }}
          upload={upload}
          recent={
            <RecentCases
              api={api}
              onError={reportError}
              onOpen={(path) => {
                setBusy(true)
                api
                  .request('case.reopen', { path })
                  .then(setOpenCase, reportError)
                  .finally(() => setBusy(false))
              }}
            />
          }
        />
      )}
      <Notifications notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
      <StatusBar info={info} transport={picked.transport} connection={connection} openCase={openCase} />
    </div>
  )
}
