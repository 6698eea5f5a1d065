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
import type { ReaderWorkerData } from './reader-side.ts'

export interface StartIngestOptions {
  readonly onProgress?: ((progress: IngestProgress) => void) | undefined
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

/** How the ingest's threads are started; the Electron bundle supplies its own. */
export type IngestWorkerFactories = Pick<StartIngestOptions, 'createWorker' | 'createCommitWorker' | 'createReaderWorker'>

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

export function startIngest(request: IngestRequest, options: StartIngestOptions = {}): IngestJob {
  const spread = availableParallelism() > 1
  const commitChannel = (options.commitThread ?? spread) ? new MessageChannel() : null
  const readerChannel = (options.readerThread ?? spread) ? new MessageChannel() : null
  const commitPort = commitChannel?.port1
  const readerPort = readerChannel?.port1
  const ports = [commitPort, readerPort].filter((port) => port !== undefined)
  // The pipeline thread starts first: it has the most to load before the ingest can begin (the
  // case, the model), while the reader and the commit thread are needed only after that.
  const worker = (options.createWorker ?? defaultIngestWorker)({ request, commitPort, readerPort }, ports)
  const helpers: Worker[] = []
  // A new source's reader opens it at once (see ReaderPrefetch); a resume's needs the case first.
  const prefetch = request.resumeSourceId === undefined && request.sourcePath !== undefined ? { path: resolvePath(request.sourcePath), format: request.format } : undefined
  if (readerChannel) helpers.push((options.createReaderWorker ?? defaultReaderWorker)({ port: readerChannel.port2, prefetch }, [readerChannel.port2]))
  if (commitChannel) helpers.push((options.createCommitWorker ?? defaultCommitWorker)({ port: commitChannel.port2 }, [commitChannel.port2]))
  const send = (command: WorkerCommand): void => worker.postMessage(command)
  const retireAll = (): void => {
    for (const thread of [worker, ...helpers]) void retire(thread)
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
    for (const helper of helpers) helper.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the ingest worker exited unexpectedly (code ${code})`)))
  })
  return {
    started,
    done,
    cancel: () => send({ type: 'cancel' })
  }
}
