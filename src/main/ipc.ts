/**
 * The Electron transport: a thin adapter from ipcMain to the core router. Requests from any
 * frame other than our own top-level renderer are refused.
 */
import { ipcMain } from 'electron'
import type { BrowserWindow, WebFrameMain } from 'electron'
import type { Reply } from '../shared/api/reply.ts'
import type { CoreService } from '../core/service/create-core-service.ts'
import { ipcChannels } from '../shared/api/ipc-channels.ts'

export function attachIpc(window: BrowserWindow, core: CoreService): void {
  const contents = window.webContents

  const isTrusted = (frame: WebFrameMain | null): boolean =>
    frame !== null && frame === contents.mainFrame && isOwnUrl(frame.url)

  ipcMain.removeHandler(ipcChannels.request)
  ipcMain.handle(ipcChannels.request, async (event, method: unknown, params: unknown): Promise<Reply> => {
    if (!isTrusted(event.senderFrame)) {
      return { ok: false, error: { code: 'unauthorized', message: 'Request from an untrusted frame' } }
    }
    return core.router.dispatch(String(method), params)
  })

  const unsubscribe = core.events.subscribe((event, payload) => {
    if (!contents.isDestroyed()) contents.send(ipcChannels.event, event, payload)
  })
  window.on('closed', unsubscribe)
}

function isOwnUrl(url: string): boolean {
  const devUrl = process.env.ELECTRON_RENDERER_URL
  return url.startsWith('file://') || (devUrl !== undefined && url.startsWith(devUrl))
}
