/**
 * Tracks how worker threads end: by themselves, or by `terminate()`, which our jobs keep for
 * threads that do not stop when asked (see platform/worker-stop.ts).
 */
import type { Worker } from 'node:worker_threads'

export type ThreadEnd = 'exited' | 'terminated'

export interface ThreadExits {
  /** Wraps a worker factory so each thread it starts is tracked. */
  track<A extends unknown[]>(create: (...args: A) => Worker): (...args: A) => Worker
  /** How every tracked thread ended, once all have. */
  ends(): Promise<ThreadEnd[]>
}

export function threadExits(): ThreadExits {
  const ends: Promise<ThreadEnd>[] = []
  return {
    track:
      (create) =>
      (...args) => {
        const worker = create(...args)
        let terminated = false
        const terminate = worker.terminate.bind(worker)
        worker.terminate = () => {
          terminated = true
          return terminate()
        }
        ends.push(new Promise((resolve) => worker.once('exit', () => resolve(terminated ? 'terminated' : 'exited'))))
        return worker
      },
    ends: () => Promise.all(ends)
  }
}
