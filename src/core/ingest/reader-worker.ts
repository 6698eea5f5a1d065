/** Worker entry for the reader thread of an ingest (see reader-side.ts); kept tiny like ingest-worker.ts. */
import { workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { serveRecords } from './reader-side.ts'

serveRecords((workerData as { port: MessagePort }).port)
