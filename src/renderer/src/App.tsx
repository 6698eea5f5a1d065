import { useCallback, useEffect, useState } from 'react'
import type { CaseSummary, OpeningEvent } from '../../shared/api/case-contract.ts'
import { ApiError } from '../../shared/api/errors.ts'
import { caseExtension } from '../../shared/case/case-file-name.ts'
import { useApi } from './api/api-context.tsx'
import { droppedPath } from './api/dropped-path.ts'
import { uploadFile } from './api/upload.ts'
import { Dialog } from './components/Dialog.tsx'
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

  // The newest five notices stay on screen.
  const pushNotice = useCallback((level: Notice['level'], message: string) => {
    setNotices((previous) => [...previous.slice(-4), { id: nextNoticeId++, level, message }])
  }, [])
  const reportError = useCallback(
    (error: unknown) => pushNotice('error', error instanceof ApiError || error instanceof Error ? error.message : String(error)),
    [pushNotice]
  )
  const notify = useCallback((message: string) => pushNotice('info', message), [pushNotice])

  useEffect(() => picked.onState?.(setConnection), [picked])

  const api = useApi()
  const [openCase, setOpenCase] = useState<CaseSummary | null>(null)
  const [busy, setBusy] = useState(false)
  const [upload, setUpload] = useState<{ name: string; share: number } | null>(null)
  // Learning the baseline of a case being opened (`case.opening`), until the open answers.
  const [opening, setOpening] = useState<OpeningEvent | null>(null)
  // A file that does not look like a text log: say what it seems to be, and let the user insist.
  const [notText, setNotText] = useState<{ path: string; baseline: string[]; message: string } | null>(null)
  const openPath = useCallback(
    (path: string, baseline: string[], anyway = false) => {
      setBusy(true)
      setOpening(null)
      // A case file (one handed over by a colleague, say) opens as it is; a log opens as a new case.
      const opened = path.toLowerCase().endsWith(caseExtension) ? api.request('case.reopen', { path }) : api.request('case.open', { path, baseline, anyway })
      opened
        .then(setOpenCase, (error: unknown) => {
          if (error instanceof ApiError && error.code === 'not_text') setNotText({ path, baseline, message: error.message })
          else reportError(error)
        })
        .finally(() => {
          setBusy(false)
          setOpening(null)
        })
    },
    [api, reportError]
  )
  const info = useAppInfo(reportError)
  useEffect(() => api.on('case.opening', setOpening), [api])

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
          notifications={settings?.desktopNotifications ?? false}
          onNotificationsChange={(on) => update({ desktopNotifications: on })}
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
          onPickFile={(baseline) => {
            api
              .request('app.pickFiles', { title: 'Open a log file' })
              .then(({ paths }) => paths[0] && openPath(paths[0], baseline), reportError)
          }}
          onPickBaseline={() => api.request('app.pickFiles', { title: 'Choose known-good baseline files', multiple: true }).then((r) => r.paths)}
          onDropFiles={(files) => {
            const file = files[0]
            if (!file) return
            if (picked.transport === 'electron') {
              droppedPath(file).then((path) => {
                if (path) openPath(path, [])
                else reportError(new Error(`${file.name} cannot be opened from here: drop a file from your file manager`))
              }, reportError)
              return
            }
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
          activity={upload ? { message: `Uploading ${upload.name}…`, share: upload.share } : busy ? opening : null}
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
      {notText && (
        <Dialog
          title="This does not look like a text log"
          testId="not-text"
          onClose={() => setNotText(null)}
          footer={
            <>
              <button type="button" className="secondary-button" onClick={() => setNotText(null)}>
                Cancel
              </button>
              <button
                type="button"
                className="primary-button"
                data-testid="open-anyway"
                onClick={() => {
                  openPath(notText.path, notText.baseline, true)
                  setNotText(null)
                }}
              >
                Open it anyway
              </button>
            </>
          }
        >
          <p>{notText.message}</p>
          <p className="hint">Opened anyway, its bytes are read as text: lines that are not text show as replacement characters.</p>
        </Dialog>
      )}
      <Notifications notices={notices} onDismiss={(id) => setNotices((list) => list.filter((n) => n.id !== id))} />
      <StatusBar info={info} transport={picked.transport} connection={connection} openCase={openCase} />
    </div>
  )
}
