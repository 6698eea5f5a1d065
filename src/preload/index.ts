/**
 * Exposes exactly the `Bridge` shape over fixed channels, plus `pathOf` for dropped files. The
 * renderer cannot name a channel, reach ipcRenderer, or touch Node.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { bridgeGlobal, filesGlobal, ipcChannels } from '../shared/api/ipc-channels.ts'
import type { Bridge, Reply } from '../shared/api/reply.ts'

const bridge = {
  request: (method: string, params: unknown): Promise<Reply> =>
    ipcRenderer.invoke(ipcChannels.request, method, params) as Promise<Reply>,
  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    const forward = (_: IpcRendererEvent, event: string, payload: unknown): void => listener(event, payload)
    ipcRenderer.on(ipcChannels.event, forward)
    return () => ipcRenderer.removeListener(ipcChannels.event, forward)
  }
} satisfies Bridge

const files = {
  /**
   * The path of a File the user dropped (or picked in an <input>), which the main process then
   * lets the renderer open; null for a File made in script, which has no path.
   */
  async pathOf(file: File): Promise<string | null> {
    const path = webUtils.getPathForFile(file)
    if (!path) return null
    return (await ipcRenderer.invoke(ipcChannels.droppedFile, path)) === true ? path : null
  }
}

contextBridge.exposeInMainWorld(bridgeGlobal, bridge)
contextBridge.exposeInMainWorld(filesGlobal, files)
