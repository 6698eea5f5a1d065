/** Worker entry for `rescoreInWorker`, both roles (tiny, so bundlers can build it as its own entry). */
import { parentPort, workerData } from 'node:worker_threads'
import { runRescoreWorker } from './rescore-job.ts'
import type { RescoreWorkerData } from './rescore-job.ts'

if (!parentPort) throw new Error('rescore-worker.ts must run in a worker thread')
runRescoreWorker(parentPort, workerData as RescoreWorkerData)
