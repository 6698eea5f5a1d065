import type { EventName, EventPayload } from '../../shared/api/contract.ts'

export type EventListener = (event: EventName, payload: unknown) => void

/** Engine → transports. Each transport subscribes once and forwards to its own clients. */
export interface EventBus {
  emit<K extends EventName>(event: K, payload: EventPayload<K>): void
  subscribe(listener: EventListener): () => void
}

export function createEventBus(onListenerError: (error: unknown) => void = () => {}): EventBus {
  const listeners = new Set<EventListener>()
  return {
    emit(event, payload) {
      for (const listener of listeners) {
        // A failing transport (say, a closed socket) must not stop the others from hearing.
        try {
          listener(event, payload)
        } catch (error) {
          onListenerError(error)
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}
