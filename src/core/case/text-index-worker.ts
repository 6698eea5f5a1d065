/**
 * Worker entry: builds one part of a source's text index off the main thread (see text-index-job.ts and
 * `startTextIndex`). Kept tiny so bundlers can build it as its own entry (electron-vite:
 * `?nodeWorker`).
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runTextIndexWorker } from './text-index-job.ts'
import type { TextIndexWorkerData } from './text-index-job.ts'

if (!parentPort) throw new Error('text-index-worker.ts must run in a worker thread')
runTextIndexWorker(parentPort, workerData as TextIndexWorkerData)
