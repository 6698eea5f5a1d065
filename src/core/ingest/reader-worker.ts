/** Worker entry for the reader thread of an ingest (see reader-side.ts); kept tiny like ingest-worker.ts. */
import { workerData } from 'node:worker_threads'
import { serveRecords } from './reader-side.ts'
import type { ReaderWorkerData } from './reader-side.ts'

const data = workerData as ReaderWorkerData
serveRecords(data.port, undefined, data.prefetch)
