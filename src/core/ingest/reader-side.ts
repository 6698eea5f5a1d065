/**
 * Reading on its own thread: the reader worker reads, groups, detects and splits headers, and
 * hands packed batches (packed-records.ts) to the thread that mines (an ingest, or training),
 * which does nothing but slice. A few batches may be in flight (`maxAhead`), which bounds memory.
 * One reader serves sources one after another, until its port closes.
 */
import { MessageChannel } from 'node:worker_threads'
import type { MessagePort, Worker } from 'node:worker_threads'
import { openPackedSource, packedTransferables } from './packed-records.ts'
import { openRecordColumns } from '../parse/records.ts'
import type { RecordColumnStream } from '../parse/records.ts'
import type { PackOptions, PackedBatch, PackedLayout, PackedSource, SourceEnd } from './packed-records.ts'
import { threadCpuMs } from './thread-cpu.ts'
import { recycleBatchBuffer } from '../read/batch-text.ts'
import { retire } from '../platform/worker-stop.ts'

type ReaderRequest =
  | { readonly type: 'open'; readonly seq: number; readonly path: string; readonly options: PackOptions }
  | { readonly type: 'ack' }
  | { readonly type: 'stop' }
  /** Buffers whose batches were done with, to read later batches into. */
  | { readonly type: 'recycle'; readonly buffers: ArrayBuffer[] }

/** Replies about a source carry its `seq`: batches of a source left early may still be on their way. */
type ReaderReply =
  | { readonly type: 'layout'; readonly seq: number; readonly layout: PackedLayout }
  | { readonly type: 'batch'; readonly seq: number; readonly batch: PackedBatch }
  | { readonly type: 'end'; readonly seq: number; readonly end: SourceEnd }
  | { readonly type: 'error'; readonly seq: number; readonly message: string }

/** Where packed records come from: this thread, or a reader thread. */
export interface RecordReader {
  open(path: string, options: PackOptions): Promise<PackedSource>
  /** Done with the reader (a thread ends). */
  close(): void
}

/** Reads on the calling thread. */
export const localReader: RecordReader = { open: openPackedSource, close: () => {} }

/**
 * A file the reader may open before it is asked: an ingest's reader thread is up while the
 * pipeline thread still loads the case and the model, so it reads the start of the file and
 * detects its layout meanwhile (~100 ms that used to come after).
 */
export interface ReaderPrefetch {
  readonly path: string
  /** The user's format string, as the ingest will ask for it. */
  readonly format?: string | undefined
}

/** What a reader thread is started with (see reader-worker.ts). */
export interface ReaderWorkerData {
  readonly port: MessagePort
}

/** Whether a source opened as `prefetch` says is the one an `open` of `path` with `options` reads (records it skips are dropped after). */
function prefetchServes(prefetch: ReaderPrefetch, path: string, options: PackOptions): boolean {
  return (
    path === prefetch.path &&
    options.format === prefetch.format &&
    options.spec === undefined &&
    options.multiline !== false &&
    options.hash === true &&
    (options.cutShort ?? 'end') === 'end' &&
    options.sampleLines === undefined &&
    options.defaultYear === undefined &&
    options.maxLineBytes === undefined
  )
}

/** What a reader thread can be told besides its port (see `serveRecords`). */
export interface RecordServer {
  /** Opens `file` before it is asked for, if no source was asked for yet (see ReaderPrefetch). */
  prefetch(file: ReaderPrefetch): void
}

/** Reader thread: serves sources over `port`, one at a time, until the port closes. */
export function serveRecords(port: MessagePort, maxAhead = 4): RecordServer {
  // Opened before it is asked for; handed to the first open that fits, else closed.
  let early: Promise<RecordColumnStream> | null = null
  let prefetched: ReaderPrefetch | undefined
  let asked = false
  const takeEarly = (path: string, options: PackOptions): Promise<RecordColumnStream> | undefined => {
    asked = true
    const stream = early
    early = null
    if (stream === null || prefetched === undefined) return undefined
    if (prefetchServes(prefetched, path, options)) return stream
    void stream.then((s) => closeStream(s), () => {})
    return undefined
  }
  // Per source, so a stopped source's loop cannot resume when the next one opens.
  let current = { unacked: 0, stopped: false }
  let wake: (() => void) | null = null
  const post = (reply: ReaderReply, transfer: ArrayBuffer[] = []): void => port.postMessage(reply, transfer)
  const run = async (seq: number, path: string, options: PackOptions, state: typeof current): Promise<void> => {
    const opened = takeEarly(path, options)
    const source = await openPackedSource(path, options, opened && (await opened))
    if (state.stopped) return
    post({ type: 'layout', seq, layout: source.layout })
    for await (const batch of source.batches) {
      if (state.stopped) return
      post({ type: 'batch', seq, batch }, packedTransferables(batch))
      state.unacked++
      while (state.unacked >= maxAhead && !state.stopped) await new Promise<void>((resolve) => (wake = resolve))
    }
    if (!state.stopped) post({ type: 'end', seq, end: { ...source.end(), readerCpuMs: threadCpuMs() } })
  }
  // The other side closed or died: stop reading, so the thread can exit.
  port.once('close', () => {
    current.stopped = true
    wake?.()
    takeEarly('', {})
  })
  port.on('message', (request: ReaderRequest) => {
    if (request.type === 'recycle') {
      for (const buffer of request.buffers) recycleBatchBuffer(buffer)
      return
    }
    if (request.type === 'open') {
      current.stopped = true
      const state = (current = { unacked: 0, stopped: false })
      const { seq } = request
      run(seq, request.path, request.options, state).catch((error: unknown) => {
        if (!state.stopped) post({ type: 'error', seq, message: error instanceof Error ? error.message : String(error) })
      })
    } else if (request.type === 'ack') current.unacked--
    else current.stopped = true
    wake?.()
    wake = null
  })
  return {
    prefetch: (file) => {
      if (asked || early !== null) return
      prefetched = file
      early = openRecordColumns(file.path, { format: file.format, hash: true, cutShort: 'end' })
      early.catch(() => {})
    }
  }
}

/** The reading side of `port` (see `serveRecords`); opened sources must be read one at a time. */
export function remoteReader(port: MessagePort): RecordReader {
  let onReply: ((reply: ReaderReply) => void) | null = null
  let seq = 0
  port.on('message', (reply: ReaderReply) => onReply?.(reply))
  // A reader thread that dies (out of memory, say) closes its end without a word.
  port.once('close', () => onReply?.({ type: 'error', seq, message: 'the reader thread stopped' }))
  const open = (path: string, options: PackOptions): Promise<PackedSource> =>
    new Promise<PackedSource>((resolveOpen, rejectOpen) => {
      const mine = ++seq
      const queue: ReaderReply[] = []
      let notify: (() => void) | null = null
      let end: SourceEnd = { bytes: 0, encoding: 'utf8', compression: 'none' }
      let opened = false
      onReply = (reply) => {
        if (reply.seq !== mine) return
        if (reply.type === 'layout') {
          opened = true
          resolveOpen({ layout: reply.layout, batches: batches(), end: () => end })
        } else if (reply.type === 'error' && !opened) rejectOpen(new Error(reply.message))
        if (reply.type !== 'layout') queue.push(reply)
        notify?.()
        notify = null
      }
      async function* batches(): AsyncGenerator<PackedBatch> {
        let finished = false
        try {
          for (;;) {
            while (queue.length === 0) await new Promise<void>((resolve) => (notify = resolve))
            const reply = queue.shift() as ReaderReply
            if (reply.type === 'error') {
              finished = true
              throw new Error(reply.message)
            }
            if (reply.type === 'end') {
              finished = true
              end = reply.end
              return
            }
            if (reply.type === 'batch') {
              port.postMessage({ type: 'ack' } satisfies ReaderRequest)
              yield reply.batch
            }
          }
        } finally {
          // Left early: the reader stops this source (its late batches go nowhere).
          if (!finished) port.postMessage({ type: 'stop' } satisfies ReaderRequest)
          onReply = null
        }
      }
      const { format, spec, multiline, skipThrough, sessionKey, cutShort, hash } = options
      port.postMessage({ type: 'open', seq: mine, path, options: { format, spec, multiline, skipThrough, sessionKey, cutShort, hash } } satisfies ReaderRequest)
    })
  return { open, close: () => port.close() }
}

/** Ingest thread: one source from a reader thread, which ends when that source has been read. */
export function remoteSource(port: MessagePort): (path: string, options: PackOptions) => Promise<PackedSource> {
  const reader = remoteReader(port)
  return async (path, options) => {
    const source = await reader.open(path, options).catch((error: unknown) => {
      reader.close()
      throw error
    })
    const batches = source.batches
    async function* once(): AsyncGenerator<PackedBatch> {
      try {
        yield* batches
      } finally {
        reader.close()
      }
    }
    // Each batch's bytes were transferred here in a buffer of their own, and may go back.
    const recycle = (buffers: ArrayBuffer[]): void => port.postMessage({ type: 'recycle', buffers } satisfies ReaderRequest, buffers)
    return { ...source, batches: once(), ownBuffers: true, recycle }
  }
}

/** Closes a stream that will not be read (its file). */
async function closeStream(stream: RecordColumnStream): Promise<void> {
  await stream.batches[Symbol.asyncIterator]().return?.()
}

/** A reader thread for this thread's own use, started by `create` (see start-ingest.ts's factories). */
export function readerThread(create: (workerData: { port: MessagePort }, transferList: MessagePort[]) => Worker): RecordReader {
  const channel = new MessageChannel()
  const worker = create({ port: channel.port2 }, [channel.port2])
  const reader = remoteReader(channel.port1)
  // A reader that fails to start must fail the open rather than hang it.
  const failed = new Promise<never>((_, reject) => worker.once('error', reject))
  failed.catch(() => {})
  return {
    open: (path, options) => Promise.race([reader.open(path, options), failed]),
    close: () => {
      // Its port closed, the thread stops reading and exits.
      reader.close()
      void retire(worker)
    }
  }
}
