/** Worker entry for the reader thread of an ingest (see reader-side.ts); kept tiny like ingest-worker.ts. */
import { parentPort, workerData } from 'node:worker_threads'
import { serveRecords } from './reader-side.ts'
import type { ReaderPrefetch, ReaderWorkerData } from './reader-side.ts'

const reader = serveRecords((workerData as ReaderWorkerData).port)
// The file to open early, once an ingest names it (see ReaderPrefetch). The port does not keep the
// thread alive: the reader's own port does, until the other side closes it.
parentPort?.on('message', (prefetch: ReaderPrefetch) => reader.prefetch(prefetch)).unref()
