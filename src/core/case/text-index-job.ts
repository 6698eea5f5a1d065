/**
 * Building a source's text index in the background, after its ingest: `startTextIndex` runs its
 * two parts, the trigram bitmaps (`buildTextIndex`) and the line shapes (`buildLineShapes`), in
 * a worker thread each (they share nothing but the blocks they read), on their own connections
 * to the case. Stopping (cancel, the app quitting, a crash) loses at most one small transaction
 * per part; starting again does only what is left, so it is safe to call on every case open for
 * every source.
 */
import { Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { StopFlag, stopFlagOf } from '../platform/worker-stop.ts'
import { openCaseFile } from './case-file.ts'
import type { CaseFile } from './case-file.ts'
import type { BuildProgress } from './index-build.ts'
import { buildLineShapes } from './shapes/build-shapes.ts'
import { buildTextIndex } from './text-index.ts'

/** The parts of the text index, each built by a worker of its own. */
export type TextIndexPart = 'grams' | 'shapes'
const parts: readonly TextIndexPart[] = ['grams', 'shapes']

export interface TextIndexWorkerData {
  casePath: string
  sourceId: number
  part: TextIndexPart
  /** A `StopFlag`'s buffer; the worker reads it between transactions. */
  stop?: SharedArrayBuffer
}

type TextIndexEvent =
  | { type: 'progress'; progress: BuildProgress }
  | { type: 'done'; blocksIndexed: number; ms: number }
  | { type: 'error'; message: string }

export interface TextIndexJob {
  /** Both parts built (or stopped): the blocks the busier part indexed, and the time until the last was done. */
  readonly done: Promise<{ blocksIndexed: number; ms: number; cancelled: boolean }>
  /** Stops after the current transactions; what is indexed stays. */
  cancel(): void
}

export function defaultTextIndexWorker(workerData: TextIndexWorkerData): Worker {
  return new Worker(new URL('./text-index-worker.ts', import.meta.url), { workerData })
}

export function startTextIndex(
  request: { casePath: string; sourceId: number },
  options: {
    /** Progress of the part further behind. */
    onProgress?: (progress: BuildProgress) => void
    /** The Electron bundle passes electron-vite's `?nodeWorker` factory for text-index-worker.ts. */
    createWorker?: (workerData: TextIndexWorkerData) => Worker
  } = {}
): TextIndexJob {
  const started = performance.now()
  const stop = new StopFlag()
  let cancelled = false
  const progress = new Map<TextIndexPart, BuildProgress>()
  const runs = parts.map((part) => {
    const worker = (options.createWorker ?? defaultTextIndexWorker)({ ...request, part, stop: stop.buffer })
    return new Promise<{ blocksIndexed: number }>((resolve, reject) => {
      let settled = false
      worker.on('message', (event: TextIndexEvent) => {
        if (event.type === 'progress') {
          progress.set(part, event.progress)
          const behind = [...progress.values()].reduce((a, b) => (b.blocksDone < a.blocksDone ? b : a))
          options.onProgress?.(progress.size === parts.length ? behind : { blocksDone: 0, blocksTotal: event.progress.blocksTotal })
        } else if (event.type === 'done') {
          settled = true
          resolve({ blocksIndexed: event.blocksIndexed })
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
        if (cancelled) resolve({ blocksIndexed: 0 })
        else reject(new Error(`text index worker (${part}) exited with code ${code}`))
      })
    })
  })
  const done = Promise.all(runs).then(
    (results) => ({ blocksIndexed: Math.max(...results.map((result) => result.blocksIndexed)), ms: performance.now() - started, cancelled }),
    (error: unknown) => {
      // One part failed: the other is not worth finishing alone.
      stop.raise()
      throw error
    }
  )
  return {
    done,
    cancel() {
      cancelled = true
      stop.raise()
    }
  }
}

/** The worker's side: build one part, reporting progress, until done or told to stop. */
export function runTextIndexWorker(port: MessagePort, data: TextIndexWorkerData): void {
  const stop = stopFlagOf(data.stop)
  let file: CaseFile | undefined
  try {
    file = openCaseFile(data.casePath)
    const build = data.part === 'shapes' ? buildLineShapes : buildTextIndex
    const result = build(file.db, data.sourceId, {
      shouldStop: () => stop.aborted,
      onProgress: (progress) => port.postMessage({ type: 'progress', progress } satisfies TextIndexEvent)
    })
    port.postMessage({ type: 'done', blocksIndexed: result.blocksIndexed, ms: result.ms } satisfies TextIndexEvent)
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies TextIndexEvent)
  } finally {
    file?.close()
  }
}
