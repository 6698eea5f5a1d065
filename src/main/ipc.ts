/**
 * The Electron transport: a thin adapter from ipcMain to the core router. Requests from any
 * frame other than our own top-level renderer are refused, and so are requests naming a file the
 * user did not choose (path-grants.ts).
 */
import { ipcMain } from 'electron'
import type { BrowserWindow, WebFrameMain } from 'electron'
import type { Reply } from '../shared/api/reply.ts'
import type { CoreService } from '../core/service/create-core-service.ts'
import { ipcChannels } from '../shared/api/ipc-channels.ts'
import { PathGrants } from './path-grants.ts'

export function attachIpc(window: BrowserWindow, core: CoreService): void {
  const contents = window.webContents
  const grants = new PathGrants()

  const isTrusted = (frame: WebFrameMain | null): boolean =>
    frame !== null && frame === contents.mainFrame && isOwnUrl(frame.url)
  const untrusted: Reply = { ok: false, error: { code: 'unauthorized', message: 'Request from an untrusted frame' } }

  ipcMain.removeHandler(ipcChannels.request)
  ipcMain.handle(ipcChannels.request, async (event, method: unknown, params: unknown): Promise<Reply> => {
    if (!isTrusted(event.senderFrame)) return untrusted
    const name = String(method)
    const refusal = grants.refusal(name, params)
    if (refusal !== null) return { ok: false, error: { code: 'unauthorized', message: refusal } }
    const reply = await core.router.dispatch(name, params)
    grants.noteReply(name, reply)
    return reply
  })

  // Only the preload sends this, with a path Electron resolved from a File the user dropped.
  ipcMain.removeHandler(ipcChannels.droppedFile)
  ipcMain.handle(ipcChannels.droppedFile, (event, path: unknown): boolean => {
    if (!isTrusted(event.senderFrame) || typeof path !== 'string' || path === '') return false
    grants.grant(path)
    return true
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
