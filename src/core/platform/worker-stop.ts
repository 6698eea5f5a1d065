/**
 * Stopping worker threads without `worker.terminate()`. Terminating a thread while it is inside
 * a native call (opening or closing a better-sqlite3 database, say) can abort the whole process
 * (WiseLibs/better-sqlite3#1507; seen here once as `FATAL ERROR: Error::New
 * napi_get_last_error_info`). So a thread is asked to stop, through a flag in shared memory it
 * reads between steps, closes what it opened and exits by itself; `terminate()` is kept for a
 * thread that has not exited after a grace period.
 */
import type { Worker } from 'node:worker_threads'

/** What long loops read to know they should stop; an `AbortSignal` is one too. */
export interface StopCheck {
  readonly aborted: boolean
}

/** Throws `<job> cancelled` once `signal` says stop: what a long loop calls between steps. */
export function stopIfAsked(signal: StopCheck | undefined, job: string): void {
  if (signal?.aborted) throw new Error(`${job} cancelled`)
}

/** A stop request in shared memory: raised on one thread, read on any that got its buffer. */
export class StopFlag implements StopCheck {
  readonly buffer: SharedArrayBuffer
  readonly #cell: Int32Array

  constructor(buffer: SharedArrayBuffer = new SharedArrayBuffer(4)) {
    this.buffer = buffer
    this.#cell = new Int32Array(buffer)
  }

  raise(): void {
    Atomics.store(this.#cell, 0, 1)
  }

  get aborted(): boolean {
    return Atomics.load(this.#cell, 0) === 1
  }
}

/** A flag for a worker's `workerData` buffer, or one that is never raised when there is none. */
export function stopFlagOf(buffer: SharedArrayBuffer | undefined): StopCheck {
  return buffer ? new StopFlag(buffer) : { aborted: false }
}

/** Long enough for a thread to finish the step it is in and close its database. */
export const defaultGraceMs = 10_000

export type Retired = 'exited' | 'terminated'

/**
 * Lets a worker go that has finished or been asked to stop: resolves once it has exited by
 * itself, or terminates it after `graceMs` and says so.
 */
export function retire(worker: Worker, graceMs = defaultGraceMs): Promise<Retired> {
  return new Promise((resolve) => {
    // threadId is -1 once the thread has exited.
    if (worker.threadId < 0) return resolve('exited')
    let terminated = false
    const timer = setTimeout(() => {
      terminated = true
      void worker.terminate()
    }, graceMs)
    // The worker itself keeps the process alive while it runs; the timer need not.
    timer.unref()
    worker.once('exit', () => {
      clearTimeout(timer)
      resolve(terminated ? 'terminated' : 'exited')
    })
  })
}
