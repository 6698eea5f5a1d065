/** Worker entry for `trainInWorker` (tiny, so bundlers can build it as its own entry). */
import { parentPort, workerData } from 'node:worker_threads'
import { runTrainWorker } from './train-job.ts'
import type { TrainWorkerData } from './train-job.ts'

if (!parentPort) throw new Error('train-worker.ts must run in a worker thread')
void runTrainWorker(parentPort, workerData as TrainWorkerData)
