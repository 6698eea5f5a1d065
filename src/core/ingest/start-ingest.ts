/**
 * Main-thread side of an ingest: starts the worker (and its reader and commit threads), relays
 * its progress, and settles `done` with the summary.
 */
import { availableParallelism } from 'node:os'
import { resolve as resolvePath } from 'node:path'
import { MessageChannel, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { retire } from '../platform/worker-stop.ts'
import type { IngestProgress, IngestRequest, IngestSummary, WorkerCommand, WorkerEvent } from './types.ts'
import type { IngestWorkerData } from './worker-side.ts'
import type { ReaderPrefetch, ReaderWorkerData } from './reader-side.ts'

/** How an ingest's threads are made (see `IngestThreads`). */
export interface ThreadOptions {
  /**
   * Builds the worker. The default runs ingest-worker.ts directly (Node with type stripping);
   * the Electron bundle passes electron-vite's `?nodeWorker` factory instead.
   */
  readonly createWorker?: ((workerData: IngestWorkerData, transferList: MessagePort[]) => Worker) | undefined
  /**
   * Commit on a second thread (default: with two cores or more): SQLite's share of the work
   * then overlaps parsing.
   * `createCommitWorker` builds it (electron-vite: a second `?nodeWorker` entry).
   */
  readonly commitThread?: boolean | undefined
  readonly createCommitWorker?: ((workerData: { port: MessagePort }, transferList: MessagePort[]) => Worker) | undefined
  /** Read and split lines on a third thread (default: with two cores or more); `createReaderWorker` builds it. */
  readonly readerThread?: boolean | undefined
  readonly createReaderWorker?: ((workerData: ReaderWorkerData, transferList: MessagePort[]) => Worker) | undefined
}

export interface StartIngestOptions extends ThreadOptions {
  readonly onProgress?: ((progress: IngestProgress) => void) | undefined
  /** Threads started ahead (see `IngestThreads`); without them, or when they cannot run it, new ones. */
  readonly threads?: IngestThreads | undefined
}

/** How the ingest's threads are started; the Electron bundle supplies its own. */
export type IngestWorkerFactories = Pick<ThreadOptions, 'createWorker' | 'createCommitWorker' | 'createReaderWorker'>

export interface IngestJob {
  /** The source id, once the worker has added (or reopened) the source. */
  readonly started: Promise<number>
  readonly done: Promise<IngestSummary>
  /** Stops after the current record: committed lines stay and the source is `cancelled`. */
  cancel(): void
}

/**
 * A small young generation per worker: each thread's default (up to 48 MB of semi-spaces, four
 * isolates) was a fifth of the ingest's peak RSS, and the pipeline's data mostly dies young or
 * lives for the whole run anyway. Measured at 3M lines: peak RSS 672 → 578 MiB, thread CPU
 * within 1–4 %.
 */
export const workerLimits = { maxYoungGenerationSizeMb: 8 } as const

/**
 * The pipeline thread, which bounds the rate, gets more room: its per-record strings die young,
 * and with 8 MB they were scavenged four times as often. Measured at 1M lines: 3–4 % faster
 * end to end for about 35 MiB more peak RSS.
 */
export const pipelineLimits = { maxYoungGenerationSizeMb: 32 } as const

export function defaultIngestWorker(workerData: IngestWorkerData, transferList: MessagePort[]): Worker {
  return new Worker(new URL('./ingest-worker.ts', import.meta.url), { workerData, transferList, resourceLimits: pipelineLimits })
}

export function defaultCommitWorker(workerData: { port: MessagePort }, transferList: MessagePort[]): Worker {
  return new Worker(new URL('./commit-worker.ts', import.meta.url), { workerData, transferList, resourceLimits: workerLimits })
}

export function defaultReaderWorker(workerData: ReaderWorkerData, transferList: MessagePort[]): Worker {
  return new Worker(new URL('./reader-worker.ts', import.meta.url), { workerData, transferList, resourceLimits: workerLimits })
}

/**
 * The threads of one ingest, started ahead of it: booting three isolates and loading their code
 * takes ~250 ms on two cores, which an app can spend while nothing waits, so that an ingest asked
 * for later begins at once (`startIngest`'s `threads`). Used once: they exit when that ingest
 * ends, or after `dispose` when it never came.
 */
export class IngestThreads {
  readonly pipeline: Worker
  /** The reader thread, when reading has one: told which file to open early. */
  readonly reader: Worker | null
  /** Every thread, the pipeline's first. */
  readonly all: readonly Worker[]
  #taken = false
  #failed = false
  /** Until an ingest takes them, a thread that fails or exits only makes the set unusable. */
  readonly #fail = (): void => {
    this.#failed = true
  }

  constructor(options: ThreadOptions = {}) {
    const spread = availableParallelism() > 1
    const commitChannel = (options.commitThread ?? spread) ? new MessageChannel() : null
    const readerChannel = (options.readerThread ?? spread) ? new MessageChannel() : null
    const commitPort = commitChannel?.port1
    const readerPort = readerChannel?.port1
    const ports = [commitPort, readerPort].filter((port) => port !== undefined)
    // The pipeline thread starts first: it has the most to load before the ingest can begin (the
    // case, the model), while the reader and the commit thread are needed only after that.
    this.pipeline = (options.createWorker ?? defaultIngestWorker)({ commitPort, readerPort }, ports)
    this.reader = readerChannel && (options.createReaderWorker ?? defaultReaderWorker)({ port: readerChannel.port2 }, [readerChannel.port2])
    const commit = commitChannel && (options.createCommitWorker ?? defaultCommitWorker)({ port: commitChannel.port2 }, [commitChannel.port2])
    this.all = [this.pipeline, this.reader, commit].filter((thread) => thread !== null)
    // Idle threads do not keep the process alive; the ingest that takes them does (`take`).
    for (const thread of this.all) thread.on('error', this.#fail).on('exit', this.#fail).unref()
  }

  /** Whether an ingest can still run on these threads: none took them, none failed. */
  get usable(): boolean {
    return !this.#taken && !this.#failed
  }

  /** Hands the threads to the one ingest that runs on them (`startIngest`). */
  take(): void {
    if (!this.usable) throw new Error('these ingest threads are used or gone')
    this.#taken = true
    for (const thread of this.all) thread.off('error', this.#fail).off('exit', this.#fail).ref()
  }

  /** Lets the threads go unused: the pipeline closes the ports, and each thread exits by itself. */
  dispose(): void {
    if (this.#taken) return
    this.#taken = true
    this.pipeline.postMessage({ type: 'dispose' } satisfies WorkerCommand)
  }
}

export function startIngest(request: IngestRequest, options: StartIngestOptions = {}): IngestJob {
  // Threads started ahead that can no longer run it (one failed to start) give way to new ones.
  if (options.threads && !options.threads.usable) options.threads.dispose()
  const threads = options.threads?.usable ? options.threads : new IngestThreads(options)
  threads.take()
  const { pipeline: worker, reader, all } = threads
  const send = (command: WorkerCommand): void => worker.postMessage(command)
  send({ type: 'start', request })
  // A new source's reader opens it at once (see ReaderPrefetch); a resume's needs the case first.
  if (reader && request.resumeSourceId === undefined && request.sourcePath !== undefined) {
    reader.postMessage({ path: resolvePath(request.sourcePath), format: request.format } satisfies ReaderPrefetch)
  }
  const retireAll = (): void => {
    for (const thread of all) void retire(thread)
  }
  let resolveStarted: (id: number) => void = () => {}
  let rejectStarted: (error: Error) => void = () => {}
  const started = new Promise<number>((resolve, reject) => {
    resolveStarted = resolve
    rejectStarted = reject
  })
  // Callers that only await `done` must not see an unhandled rejection from `started`.
  started.catch(() => {})
  const done = new Promise<IngestSummary>((resolve, reject) => {
    let settled = false
    const fail = (error: Error): void => {
      if (settled) return
      settled = true
      // A helper that died leaves the pipeline to fail on its own; ask it to stop all the same.
      send({ type: 'cancel' })
      retireAll()
      rejectStarted(error)
      reject(error)
    }
    worker.on('message', (event: WorkerEvent) => {
      switch (event.type) {
        case 'started':
          resolveStarted(event.sourceId)
          break
        case 'progress':
          options.onProgress?.(event.progress)
          break
        case 'done':
          settled = true
          // Everything is committed and closed by now: the threads exit by themselves.
          retireAll()
          resolve(event.summary)
          break
        case 'error': {
          const error = new Error(event.message)
          if (event.stack) error.stack = event.stack
          fail(error)
          break
        }
      }
    })
    worker.on('error', fail)
    for (const helper of all.slice(1)) helper.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the ingest worker exited unexpectedly (code ${code})`)))
  })
  return {
    started,
    done,
    cancel: () => send({ type: 'cancel' })
  }
}
