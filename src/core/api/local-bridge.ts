import type { Bridge } from '../../shared/api/reply.ts'
import type { EventBus } from './event-bus.ts'
import type { Router } from './router.ts'

/**
 * An in-process bridge: the CLI and tests talk to the engine through the same contract as the
 * renderer does, with a JSON round trip so nothing passes that a real transport could not carry.
 */
export function createLocalBridge(router: Router, events: EventBus): Bridge {
  return {
    async request(method, params) {
      const reply = await router.dispatch(method, structuredClone(params))
      return JSON.parse(JSON.stringify(reply)) as Awaited<ReturnType<Bridge['request']>>
    },
    subscribe(listener) {
      return events.subscribe((event, payload) => listener(event, structuredClone(payload)))
    }
  }
}
