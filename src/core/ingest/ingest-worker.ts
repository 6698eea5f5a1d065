/**
 * Worker entry: runs one ingest off the main thread and reports back over `parentPort`. Kept
 * tiny so bundlers can build it as its own entry (electron-vite: `?nodeWorker`); the logic lives
 * in run-ingest.ts.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { runWorkerIngest } from './worker-side.ts'
import type { IngestWorkerData } from './worker-side.ts'

if (!parentPort) throw new Error('ingest-worker.ts must run in a worker thread')
runWorkerIngest(parentPort, workerData as IngestWorkerData)
