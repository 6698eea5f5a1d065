/**
 * Building a source's text index in the background, after its ingest: `startTextIndex` runs
 * `buildTextIndex` in a worker thread on its own connection to the case. Stopping (cancel, the
 * app quitting, a crash) loses at most one small transaction; starting again does only what is
 * left, so it is safe to call on every case open for every source.
 */
import { Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { openCaseFile } from './case-file.ts'
import type { CaseFile } from './case-file.ts'
import { buildTextIndex } from './text-index.ts'
import type { TextIndexProgress } from './text-index.ts'

export interface TextIndexWorkerData {
  casePath: string
  sourceId: number
  /** Set to 1 (Atomics) to stop; the worker checks it between transactions. */
  stop?: SharedArrayBuffer
}

type TextIndexEvent =
  | { type: 'progress'; progress: TextIndexProgress }
  | { type: 'done'; blocksIndexed: number; ms: number }
  | { type: 'error'; message: string }

export interface TextIndexJob {
  readonly done: Promise<{ blocksIndexed: number; ms: number; cancelled: boolean }>
  /** Stops after the current transaction; what is indexed stays. */
  cancel(): void
}

export function defaultTextIndexWorker(workerData: TextIndexWorkerData): Worker {
  return new Worker(new URL('./text-index-worker.ts', import.meta.url), { workerData })
}

export function startTextIndex(
  request: TextIndexWorkerData,
  options: {
    onProgress?: (progress: TextIndexProgress) => void
    /** The Electron bundle passes electron-vite's `?nodeWorker` factory for text-index-worker.ts. */
    createWorker?: (workerData: TextIndexWorkerData) => Worker
  } = {}
): TextIndexJob {
  const stop = new SharedArrayBuffer(4)
  const worker = (options.createWorker ?? defaultTextIndexWorker)({ ...request, stop })
  let cancelled = false
  const done = new Promise<{ blocksIndexed: number; ms: number; cancelled: boolean }>((resolve, reject) => {
    let settled = false
    worker.on('message', (event: TextIndexEvent) => {
      if (event.type === 'progress') options.onProgress?.(event.progress)
      else if (event.type === 'done') {
        settled = true
        resolve({ blocksIndexed: event.blocksIndexed, ms: event.ms, cancelled })
      } else {
        settled = true
        reject(new Error(event.message))
      }
    })
    worker.on('error', (error) => {
      settled = true
      reject(error)
    })
    worker.on('exit', (code) => {
      if (settled) return
      if (cancelled) resolve({ blocksIndexed: 0, ms: 0, cancelled })
      else reject(new Error(`text index worker exited with code ${code}`))
    })
  })
  return {
    done,
    cancel() {
      cancelled = true
      Atomics.store(new Int32Array(stop), 0, 1)
    }
  }
}

/** The worker's side: build, reporting progress, until done or told to stop. */
export function runTextIndexWorker(port: MessagePort, data: TextIndexWorkerData): void {
  const stop = data.stop ? new Int32Array(data.stop) : undefined
  let file: CaseFile | undefined
  try {
    file = openCaseFile(data.casePath)
    const result = buildTextIndex(file.db, data.sourceId, {
      shouldStop: () => stop !== undefined && Atomics.load(stop, 0) === 1,
      onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies TextIndexEvent)
    })
    port.postMessage({ type: 'done', blocksIndexed: result.blocksIndexed, ms: result.ms } satisfies TextIndexEvent)
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies TextIndexEvent)
  } finally {
    file?.close()
  }
}
