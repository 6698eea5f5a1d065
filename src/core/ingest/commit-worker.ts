/**
 * Worker entry for the commit thread (SQLite writes of an ingest); the ingest worker talks to it
 * over the port in `workerData`. A separate small entry for the same reason as ingest-worker.ts.
 */
import { workerData } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { serveCommits } from './commit-side.ts'

serveCommits((workerData as { port: MessagePort }).port)
