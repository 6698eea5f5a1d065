/** The commit thread's loop: opens the case when told, applies batches in order, acks each. */
import type { MessagePort } from 'node:worker_threads'
import { CaseStore } from '../case/case-store.ts'
import { BlockCommitter } from '../case/source-writer.ts'
import { applyBatch } from './commit-batch.ts'
import { threadCpuMs } from './thread-cpu.ts'
import type { CommitBatch } from './commit-batch.ts'
import type { CommitReply, CommitRequest } from './thread-sink.ts'

/** Views that crossed a thread arrive as plain Uint8Arrays; the SQLite binding wants Buffers. */
function asBuffers(batch: CommitBatch): CommitBatch {
  const buffer = (view: Uint8Array): Buffer => Buffer.from(view.buffer, view.byteOffset, view.byteLength)
  return { ...batch, blocks: batch.blocks.map((b) => ({ ...b, columns: buffer(b.columns), text: buffer(b.text), scores: buffer(b.scores) })) }
}

export function serveCommits(port: MessagePort): void {
  let store: CaseStore | null = null
  let committer: BlockCommitter | null = null
  let failed = false
  const reply = (message: CommitReply, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer)
  // The pipeline died without closing: close the case, so the thread exits with its WAL tidy.
  port.once('close', () => {
    try {
      store?.close()
    } catch {
      // As below: the pipeline's failure is the one that matters.
    }
    store = null
  })
  port.on('message', (request: CommitRequest) => {
    if (request.type === 'close') {
      try {
        store?.close()
      } catch {
        // Closing after a failed write (a full disk) may fail too; the pipeline already knows why.
      }
      store = null
      reply({ type: 'closed', cpuMs: threadCpuMs() })
      port.close()
      return
    }
    if (failed) return
    if (request.type === 'checkpoint') {
      try {
        // PASSIVE: readers and writers go on; whatever it leaves, a later checkpoint copies.
        store?.db.pragma('wal_checkpoint(PASSIVE)')
      } catch {
        // Only an optimisation: the data is committed in the log either way.
      }
      return
    }
    try {
      if (request.type === 'open') {
        store = CaseStore.open(request.casePath)
        committer = new BlockCommitter(store.db, request.sourceId)
      } else {
        if (!store || !committer) throw new Error('batch before open')
        applyBatch(store, committer, asBuffers(request.batch))
        // Stored: the batches' buffers go back with the ack, for the reader to use again.
        const buffers = request.batch.batchBuffers ?? []
        reply({ type: 'ack', seq: request.seq, buffers }, buffers)
      }
    } catch (error) {
      // Later batches would leave a gap: stop here; the pipeline fails and the source can resume.
      failed = true
      reply({ type: 'error', message: error instanceof Error ? error.message : String(error) })
    }
  })
}
