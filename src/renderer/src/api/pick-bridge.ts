import { bridgeGlobal } from '../../../shared/api/ipc-channels.ts'
import type { Bridge } from '../../../shared/api/reply.ts'
import { createSocketBridge } from './socket-bridge.ts'
import type { ConnectionState } from './socket-bridge.ts'

export interface PickedBridge {
  bridge: Bridge
  transport: 'electron' | 'web'
  /** Only the web transport can drop; Electron IPC lives as long as the window. */
  onState?: (listener: (state: ConnectionState) => void) => () => void
}

/** The preload's bridge when we run inside Electron, else the web host's socket. */
export function pickBridge(): PickedBridge {
  const preload = (globalThis as Record<string, unknown>)[bridgeGlobal] as Bridge | undefined
  if (preload) return { bridge: preload, transport: 'electron' }
  const socket = createSocketBridge(window.location)
  return { bridge: socket, transport: 'web', onState: (listener) => socket.onState(listener) }
}
