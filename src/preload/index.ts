/**
 * Exposes exactly the `Bridge` shape over two fixed channels. The renderer cannot name a
 * channel, reach ipcRenderer, or touch Node.
 */
import { contextBridge, ipcRenderer } from 'electron'
import type { IpcRendererEvent } from 'electron'
import { bridgeGlobal, ipcChannels } from '../shared/api/ipc-channels.ts'
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

contextBridge.exposeInMainWorld(bridgeGlobal, bridge)
