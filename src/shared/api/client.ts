/**
 * The typed face of the API. The renderer, the CLI and tests all talk through `FaultlineApi`;
 * which transport sits behind it (`Bridge`) is decided once, at start-up.
 */
import type { EventName, EventPayload, ParamsIn, RequestName, Result } from './contract.ts'
import { isEventName } from './contract.ts'
import { ApiError } from './errors.ts'
import type { Bridge } from './reply.ts'

export interface FaultlineApi {
  request<K extends RequestName>(method: K, ...params: ParamsArg<K>): Promise<Result<K>>
  on<K extends EventName>(event: K, listener: (payload: EventPayload<K>) => void): () => void
}

/** Requests whose params are all optional can be called without an argument. */
type ParamsArg<K extends RequestName> =
  Record<string, never> extends ParamsIn<K> ? [params?: ParamsIn<K>] : [params: ParamsIn<K>]

type AnyListener = (payload: unknown) => void

export function createClient(bridge: Bridge): FaultlineApi {
  const listeners = new Map<EventName, Set<AnyListener>>()

  // One subscription to the bridge fans out to typed listeners; unknown event names from a
  // newer engine are ignored rather than crashing an older renderer.
  bridge.subscribe((event, payload) => {
    if (!isEventName(event)) return
    for (const listener of listeners.get(event) ?? []) listener(payload)
  })

  return {
    async request(method, ...args) {
      const reply = await bridge.request(method, args[0] ?? {})
      if (!reply.ok) throw ApiError.fromBody(reply.error)
      return reply.result as Result<typeof method>
    },
    on(event, listener) {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const entry = listener as AnyListener
      set.add(entry)
      return () => set.delete(entry)
    }
  }
}
