/// <reference types="electron-vite/node" />
/**
 * The engine's worker threads, bundled by electron-vite (`?nodeWorker`): in the packaged app the
 * engine's TypeScript worker entries do not exist as files, so the default factories (which
 * point Node at those .ts files) cannot be used.
 */
import createTextIndexWorker from '../core/case/text-index-worker.ts?nodeWorker'
import createCommitWorker from '../core/ingest/commit-worker.ts?nodeWorker'
import createIngestWorker from '../core/ingest/ingest-worker.ts?nodeWorker'
import createReaderWorker from '../core/ingest/reader-worker.ts?nodeWorker'
import createTrainWorker from '../core/model/train-worker.ts?nodeWorker'
import createRescoreWorker from '../core/rescore/rescore-worker.ts?nodeWorker'
import type { EngineWorkers } from '../core/workspace/workspace.ts'
import { pipelineLimits, workerLimits } from '../core/ingest/start-ingest.ts'

export const engineWorkers: EngineWorkers = {
  createTextIndexWorker: (workerData) => createTextIndexWorker({ workerData }),
  createTrainWorker: (workerData, transferList) => createTrainWorker({ workerData, transferList }),
  createRescoreWorker: (workerData) => createRescoreWorker({ workerData }),
  // The same small young generation as the engine's own factories (see start-ingest.ts).
  createWorker: (workerData, transferList) => createIngestWorker({ workerData, transferList, resourceLimits: pipelineLimits }),
  createCommitWorker: (workerData, transferList) => createCommitWorker({ workerData, transferList, resourceLimits: workerLimits }),
  createReaderWorker: (workerData, transferList) => createReaderWorker({ workerData, transferList, resourceLimits: workerLimits })
}
