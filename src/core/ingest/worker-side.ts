/** The worker's half of the ingest protocol (see types.ts): commands in, events out. */
import type { MessagePort } from 'node:worker_threads'
import { runIngest } from './run-ingest.ts'
import { prepareScoring } from './scorer-spec.ts'
import { remoteSource } from './reader-side.ts'
import { threadSink } from './thread-sink.ts'
import type { IngestRequest, WorkerCommand, WorkerEvent } from './types.ts'

export interface IngestWorkerData {
  /** A port to the commit thread, or undefined to commit on this thread. */
  readonly commitPort?: MessagePort | undefined
  /** A port to the reader thread, or undefined to read on this thread. */
  readonly readerPort?: MessagePort | undefined
}

/** Waits for the ingest to run (`start`, which may come well after the thread is up), runs it, reports. */
export function runWorkerIngest(port: MessagePort, { commitPort, readerPort }: IngestWorkerData): void {
  const post = (event: WorkerEvent): void => port.postMessage(event)
  const cancel = new AbortController()
  let started = false
  // Every port closed, this thread and its helpers (which watch theirs) exit by themselves, even
  // when the ingest failed before it used them, or never came.
  const closeAll = (): void => {
    for (const open of [port, commitPort, readerPort]) open?.close()
  }
  const run = (request: IngestRequest): void => {
    prepareScoring(request.scorer, request.casePath)
      .then((scoring) =>
        runIngest(request, {
          ...scoring,
          signal: cancel.signal,
          onStarted: (sourceId) => post({ type: 'started', sourceId }),
          onProgress: (progress) => post({ type: 'progress', progress }),
          openSink: commitPort && ((sourceId) => threadSink(commitPort, request.casePath, sourceId)),
          openSource: readerPort && remoteSource(readerPort)
        })
      )
      .then(
        (summary) => {
          post({ type: 'done', summary })
          closeAll()
        },
        (error: unknown) => {
          post({ type: 'error', message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined })
          closeAll()
        }
      )
  }
  port.on('message', (command: WorkerCommand) => {
    if (command.type === 'cancel') cancel.abort()
    else if (started) return
    else if (command.type === 'dispose') closeAll()
    else {
      started = true
      run(command.request)
    }
  })
}
