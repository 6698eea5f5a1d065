/**
 * Reading on its own thread: the reader worker reads, groups, detects and splits headers, and
 * hands packed batches (packed-records.ts) to the ingest worker, which mines and builds blocks.
 * A few batches may be in flight (`maxAhead`), which bounds memory.
 */
import type { MessagePort } from 'node:worker_threads'
import { openPackedSource, packedTransferables } from './packed-records.ts'
import type { PackOptions, PackedBatch, PackedLayout, PackedSource, SourceEnd } from './packed-records.ts'
import { threadCpuMs } from './thread-cpu.ts'

type ReaderRequest = { readonly type: 'open'; readonly path: string; readonly options: PackOptions } | { readonly type: 'ack' } | { readonly type: 'stop' }

type ReaderReply =
  | { readonly type: 'layout'; readonly layout: PackedLayout }
  | { readonly type: 'batch'; readonly batch: PackedBatch }
  | { readonly type: 'end'; readonly end: SourceEnd }
  | { readonly type: 'error'; readonly message: string }

/** Reader thread: serves one source over `port`. */
export function serveRecords(port: MessagePort, maxAhead = 4): void {
  let unacked = 0
  let stopped = false
  let wake: (() => void) | null = null
  const post = (reply: ReaderReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer)
  const run = async (path: string, options: PackOptions): Promise<void> => {
    const source = await openPackedSource(path, options)
    post({ type: 'layout', layout: source.layout })
    for await (const batch of source.batches) {
      if (stopped) return
      post({ type: 'batch', batch }, packedTransferables(batch))
      unacked++
      while (unacked >= maxAhead && !stopped) await new Promise<void>((resolve) => (wake = resolve))
    }
    if (!stopped) post({ type: 'end', end: { ...source.end(), readerCpuMs: threadCpuMs() } })
  }
  port.on('message', (request: ReaderRequest) => {
    if (request.type === 'open') {
      run(request.path, request.options).then(
        () => port.close(),
        (error: unknown) => {
          post({ type: 'error', message: error instanceof Error ? error.message : String(error) })
          port.close()
        }
      )
      return
    }
    if (request.type === 'ack') unacked--
    else stopped = true
    wake?.()
    wake = null
  })
}

/** Ingest thread: a `PackedSource` fed by a reader thread over `port`. */
export function remoteSource(port: MessagePort): (path: string, options: PackOptions) => Promise<PackedSource> {
  return (path, options) =>
    new Promise<PackedSource>((resolveOpen, rejectOpen) => {
      const queue: ReaderReply[] = []
      let notify: (() => void) | null = null
      let end: SourceEnd = { bytes: 0, encoding: 'utf8', compression: 'none' }
      port.on('message', (reply: ReaderReply) => {
        if (reply.type === 'layout') resolveOpen({ layout: reply.layout, batches: batches(), end: () => end })
        else if (reply.type === 'error' && queue.length === 0 && notify === null) rejectOpen(new Error(reply.message))
        if (reply.type !== 'layout') queue.push(reply)
        notify?.()
        notify = null
      })
      async function* batches(): AsyncGenerator<PackedBatch> {
        try {
          for (;;) {
            while (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve))
            const reply = queue.shift() as ReaderReply
            if (reply.type === 'error') throw new Error(reply.message)
            if (reply.type === 'end') {
              end = reply.end
              return
            }
            if (reply.type === 'batch') {
              port.postMessage({ type: 'ack' } satisfies ReaderRequest)
              yield reply.batch
            }
          }
        } finally {
          port.postMessage({ type: 'stop' } satisfies ReaderRequest)
          port.close()
        }
      }
      port.postMessage({ type: 'open', path, options: { format: options.format, spec: options.spec, skipThrough: options.skipThrough, sessionKey: options.sessionKey } } satisfies ReaderRequest)
    })
}
