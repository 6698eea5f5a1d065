/// <reference types="electron-vite/node" />
/**
 * The ingest's worker threads, bundled by electron-vite (`?nodeWorker`): in the packaged app the
 * engine's TypeScript worker entries do not exist as files, so the default factories (which
 * point Node at those .ts files) cannot be used.
 */
import createCommitWorker from '../core/ingest/commit-worker.ts?nodeWorker'
import createIngestWorker from '../core/ingest/ingest-worker.ts?nodeWorker'
import createReaderWorker from '../core/ingest/reader-worker.ts?nodeWorker'
import type { IngestWorkerFactories } from '../core/ingest/start-ingest.ts'

export const ingestWorkers: IngestWorkerFactories = {
  createWorker: (workerData, transferList) => createIngestWorker({ workerData, transferList }),
  createCommitWorker: (workerData, transferList) => createCommitWorker({ workerData, transferList }),
  createReaderWorker: (workerData, transferList) => createReaderWorker({ workerData, transferList })
}
