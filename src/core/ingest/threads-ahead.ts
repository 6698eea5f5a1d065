/**
 * One set of ingest threads kept started ahead of the next ingest (see `IngestThreads`), for a
 * host that runs ingests now and then: the app's workspace. An ingest asked for then begins at
 * once instead of ~250 ms later (three isolates booting and loading their code on two cores).
 * A set is started once the host has had no ingest for a moment, so it never competes with one
 * (an app starts its first at once), and idle threads never keep the process alive.
 */
import { IngestThreads, startIngest } from './start-ingest.ts'
import type { IngestJob, StartIngestOptions, ThreadOptions } from './start-ingest.ts'
import type { IngestRequest } from './types.ts'

/** How long the host must have been without an ingest before the next set starts. */
const defaultQuietMs = 1_000

export class IngestThreadsAhead {
  readonly #options: ThreadOptions
  readonly #quietMs: number
  #ready: IngestThreads | null = null
  #timer: ReturnType<typeof setTimeout> | null = null
  #running = 0
  #closed = false

  /** `firstAfterMs`: when the first set starts (an app starts one at once: its first ingest soon follows). */
  constructor(options: ThreadOptions = {}, quietMs = defaultQuietMs, firstAfterMs = quietMs) {
    this.#options = options
    this.#quietMs = quietMs
    this.#schedule(firstAfterMs)
  }

  /** Whether a set is up and waiting (for tests and diagnostics). */
  get ready(): boolean {
    return this.#ready?.usable === true
  }

  /** `startIngest` on the set started ahead, if there is one (else on new threads). */
  start(request: IngestRequest, options: StartIngestOptions = {}): IngestJob {
    const threads = this.#ready ?? undefined
    this.#ready = null
    this.#cancelTimer()
    const job = startIngest(request, { ...this.#options, ...options, threads })
    this.#running++
    void job.done
      .catch(() => {})
      .finally(() => {
        this.#running--
        this.#schedule()
      })
    return job
  }

  /** Lets the waiting set go, and starts no other. */
  close(): void {
    this.#closed = true
    this.#cancelTimer()
    this.#ready?.dispose()
    this.#ready = null
  }

  /** Whether a set should be started: none is ready, no ingest runs, the host is not stopping. */
  #wanted(): boolean {
    return !this.#closed && this.#running === 0 && this.#ready?.usable !== true
  }

  #schedule(afterMs = this.#quietMs): void {
    if (this.#timer !== null || !this.#wanted()) return
    this.#timer = setTimeout(() => {
      this.#timer = null
      if (!this.#wanted()) return
      this.#ready?.dispose()
      this.#ready = new IngestThreads(this.#options)
    }, afterMs)
    this.#timer.unref()
  }

  #cancelTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer)
    this.#timer = null
  }
}
