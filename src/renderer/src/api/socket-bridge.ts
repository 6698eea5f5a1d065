/**
 * The browser side of the web host transport. Requests are matched to replies by id; while the
 * socket is down, requests get an `unavailable` reply instead of hanging, and the bridge
 * reconnects with backoff (the host may have been restarted).
 */
import type { Bridge, Reply } from '../../../shared/api/reply.ts'
import { apiSocketPath } from '../../../shared/api/wire.ts'
import type { ClientMessage, ServerMessage } from '../../../shared/api/wire.ts'

export type ConnectionState = 'connecting' | 'open' | 'closed'

export interface SocketBridge extends Bridge {
  onState(listener: (state: ConnectionState) => void): () => void
}

const unavailable: Reply = {
  ok: false,
  error: { code: 'unavailable', message: 'Lost the connection to the Faultline engine; reconnecting…' }
}

export function createSocketBridge(location: Location): SocketBridge {
  const url = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${apiSocketPath}`
  const pending = new Map<number, (reply: Reply) => void>()
  const eventListeners = new Set<(event: string, payload: unknown) => void>()
  const stateListeners = new Set<(state: ConnectionState) => void>()
  const queue: ClientMessage[] = []
  let socket: WebSocket | undefined
  let nextId = 1
  let retryMs = 250
  let state: ConnectionState = 'connecting'

  const setState = (next: ConnectionState): void => {
    state = next
    for (const listener of stateListeners) listener(next)
  }

  function connect(): void {
    setState('connecting')
    const ws = new WebSocket(url)
    socket = ws
    ws.onopen = () => {
      retryMs = 250
      setState('open')
      for (const message of queue.splice(0)) ws.send(JSON.stringify(message))
    }
    ws.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ServerMessage
      if (message.type === 'reply') {
        pending.get(message.id)?.(message.reply)
        pending.delete(message.id)
      } else {
        for (const listener of eventListeners) listener(message.event, message.payload)
      }
    }
    ws.onclose = () => {
      socket = undefined
      for (const resolve of pending.values()) resolve(unavailable)
      pending.clear()
      queue.length = 0
      setState('closed')
      setTimeout(connect, retryMs)
      retryMs = Math.min(retryMs * 2, 5_000)
    }
  }

  connect()

  return {
    request(method, params) {
      return new Promise<Reply>((resolve) => {
        const message: ClientMessage = { type: 'request', id: nextId++, method, params }
        pending.set(message.id, resolve)
        if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(message))
        else queue.push(message)
      })
    },
    subscribe(listener) {
      eventListeners.add(listener)
      return () => eventListeners.delete(listener)
    },
    onState(listener) {
      // Tell a late subscriber where things stand; the socket may have opened already.
      listener(state)
      stateListeners.add(listener)
      return () => stateListeners.delete(listener)
    }
  }
}
