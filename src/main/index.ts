/**
 * The Electron shell: one window, the engine wired through the IPC adapter, nothing else. All
 * domain logic lives in src/core.
 */
import { app, BrowserWindow, dialog, Notification, session, shell } from 'electron'
import type { WebContents } from 'electron'
import { join } from 'node:path'
import { createCoreService } from '../core/service/create-core-service.ts'
import type { CoreService } from '../core/service/create-core-service.ts'
import { defaultDataDir } from '../core/platform/data-dir.ts'
import { engineWorkers } from './engine-workers.ts'
import { attachIpc } from './ipc.ts'

let core: CoreService | undefined

function createWindow(engine: CoreService): BrowserWindow {
  const window = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 800,
    minHeight: 500,
    title: 'Faultline',
    backgroundColor: '#1b1d21',
    icon: join(import.meta.dirname, '../../resources/icon.png'),
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true
    }
  })
  attachIpc(window, engine)
  window.once('ready-to-show', () => window.show())

  const devUrl = process.env.ELECTRON_RENDERER_URL
  if (!app.isPackaged && devUrl) void window.loadURL(devUrl)
  else {
    // `npm start` asks for the sample incident straight away (see scripts/start.ts).
    const query: Record<string, string> = process.env.FAULTLINE_OPEN === 'sample' ? { open: 'sample' } : {}
    void window.loadFile(join(import.meta.dirname, '../renderer/index.html'), { query })
  }
  return window
}

/**
 * Every web contents (the window, and any a bug or a log's content might create) only ever shows
 * our own renderer: no new windows (an https link opens in the system browser, nothing else),
 * no navigation, no <webview>.
 */
function lockDown(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // electronegativity OPEN_EXTERNAL_JS_CHECK: reviewed; https only, never file: or custom schemes.
    if (url.startsWith('https://')) void shell.openExternal(url)
    return { action: 'deny' }
  })
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
}

app.on('web-contents-created', (_event, contents) => lockDown(contents))

app.whenReady().then(() => {
  // The renderer may copy text out (Monaco's Copy uses the async clipboard); it needs no camera,
  // notifications, clipboard reads or any other permission.
  const allowed = (permission: string): boolean => permission === 'clipboard-sanitized-write'
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowed(permission)))
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => allowed(permission))
  core = createCoreService({
    dataDir: app.getPath('userData'),
    resourcesDir: join(app.getAppPath(), 'resources'),
    workers: engineWorkers,
    ingestThreadsAtStart: true,
    shell: {
      async pickFiles({ title, multiple }) {
        const window = BrowserWindow.getFocusedWindow()
        const options = { title, properties: multiple ? ['openFile' as const, 'multiSelections' as const] : ['openFile' as const] }
        const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options)
        return result.canceled ? [] : result.filePaths
      },
      async saveFile({ title, name }) {
        const window = BrowserWindow.getFocusedWindow()
        const options = { title, defaultPath: name }
        const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options)
        return result.canceled || !result.filePath ? null : result.filePath
      },
      notify({ title, body }) {
        if (Notification.isSupported()) new Notification({ title, body }).show()
      }
    }
  })
  const engine = core
  createWindow(engine)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(engine)
  })
}, (error: unknown) => {
  console.error('Faultline failed to start:', error)
  app.exit(1)
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})

app.on('will-quit', () => core?.close())

// Keep a single data folder consistent with the web host (see defaultDataDir).
app.setPath('userData', defaultDataDir())
