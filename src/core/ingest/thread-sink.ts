/**
 * Hands commit batches to a commit thread over a MessagePort, so SQLite's work (about a sixth of
 * an ingest, measured) overlaps the parsing. At most `maxInFlight` batches wait, which bounds
 * memory and keeps the committed position close behind the parser.
 */
import type { MessagePort } from 'node:worker_threads'
import { transferables } from './commit-batch.ts'
import type { BlockSink, CommitBatch } from './commit-batch.ts'

export type CommitRequest =
  | { readonly type: 'open'; readonly casePath: string; readonly sourceId: number }
  | { readonly type: 'batch'; readonly seq: number; readonly batch: CommitBatch }
  | { readonly type: 'checkpoint' }
  | { readonly type: 'close' }

export type CommitReply = { readonly type: 'ack'; readonly seq: number; readonly buffers?: ArrayBuffer[] | undefined } | { readonly type: 'error'; readonly message: string } | { readonly type: 'closed'; readonly cpuMs: number | null }

export function threadSink(port: MessagePort, casePath: string, sourceId: number, maxInFlight = 2): BlockSink {
  let sent = 0
  let acked = 0
  let failure: Error | null = null
  let waiters: { until: number; resolve: () => void; reject: (error: Error) => void }[] = []
  let onClosed: ((cpuMs: number | null) => void) | null = null
  let recycle: ((buffers: ArrayBuffer[]) => void) | null = null
  const settle = (): void => {
    const keep: typeof waiters = []
    for (const w of waiters) {
      if (failure) w.reject(failure)
      else if (acked >= w.until) w.resolve()
      else keep.push(w)
    }
    waiters = keep
  }
  port.on('message', (reply: CommitReply) => {
    if (reply.type === 'ack') {
      acked = reply.seq
      if (reply.buffers !== undefined && reply.buffers.length > 0) recycle?.(reply.buffers)
    }
    else if (reply.type === 'error') failure = new Error(`commit failed: ${reply.message}`)
    else onClosed?.(reply.cpuMs)
    settle()
  })
  // A commit thread that dies closes its end without a word; one closed by `close` has said so.
  port.once('close', () => {
    if (onClosed !== null) return
    failure ??= new Error('commit failed: the commit thread stopped')
    settle()
  })
  const post = (request: CommitRequest, transfer: ArrayBuffer[] = []): void => port.postMessage(request, transfer)
  const waitFor = (until: number): Promise<void> =>
    failure ? Promise.reject(failure) : acked >= until ? Promise.resolve() : new Promise((resolve, reject) => waiters.push({ until, resolve, reject }))
  post({ type: 'open', casePath, sourceId })
  return {
    elsewhere: true,
    commit: (batch) => {
      if (failure) return Promise.reject(failure)
      post({ type: 'batch', seq: ++sent, batch }, transferables(batch))
      return waitFor(sent - maxInFlight)
    },
    flush: () => waitFor(sent),
    checkpoint: () => post({ type: 'checkpoint' }),
    returnBuffersTo: (to) => {
      recycle = to
    },
    close: () =>
      new Promise<number | null>((resolve) => {
        onClosed = (cpuMs) => {
          port.close()
          resolve(cpuMs)
        }
        post({ type: 'close' })
      })
  }
}
