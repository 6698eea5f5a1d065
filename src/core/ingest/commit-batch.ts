/**
 * One commit's worth of work, as plain data: the blocks built since the last commit, the
 * source's new progress, the anomalies found, and now and then the miner's state and template
 * table. Applied in one transaction, on this thread (`InlineSink`) or on a commit thread
 * (`ThreadSink` → commit-worker.ts), so the same crash guarantees hold either way.
 */
import type { EncodedBlock } from '../case/block-builder.ts'
import type { CaseStore, SourceRecord, TemplateRow } from '../case/case-store.ts'
import type { AnomalyColumns } from '../case/anomaly-columns.ts'
import { BlockCommitter } from '../case/source-writer.ts'
import { registerSessionKeys } from '../case/session-store.ts'

export type SourcePatch = Partial<Pick<SourceRecord, 'state' | 'format' | 'formatSpec' | 'encoding' | 'compression' | 'sha256' | 'finishedAt' | 'error'>>

export interface CommitBatch {
  readonly blocks: EncodedBlock[]
  /** Batch buffers some blocks' texts are views of, handed over with them (see batch-buffers.ts). */
  readonly batchBuffers?: ArrayBuffer[] | undefined
  readonly lines: number
  readonly bytesRead: number
  readonly anomalies: AnomalyColumns
  /**
   * Sessions first seen in lines appended since the last commit: ids `first`, `first + 1`, …
   * with their keys joined by '\n' (keys come from one line). One string crosses to the commit
   * thread, not an object per session (200,000 per million lines of a request-id log), and is
   * stored as it is (see `registerSessionKeys`).
   */
  readonly sessions?: NewSessionKeys | undefined
  readonly minerState?: string | undefined
  readonly templates?: TemplateRow[] | undefined
  readonly patch?: SourcePatch | undefined
}

export interface NewSessionKeys {
  readonly first: number
  readonly keys: string
}

export interface BlockSink {
  /** Batches go to another thread: a block's text that is a view of a batch's bytes must be copied or handed over. */
  readonly elsewhere?: boolean | undefined
  /** Resolves when the pipeline may go on (not necessarily when the batch is durable). */
  commit(batch: CommitBatch): Promise<void>
  /** Resolves when every batch so far is durable. */
  flush(): Promise<void>
  /** Resolves with the CPU time of the commit thread, if it had one (ms). */
  close(): Promise<number | null>
  /**
   * Copies the write-ahead log into the case file on the commit thread, in the background, while
   * this thread goes on (the session pass, say); absent without a commit thread. Else the next
   * write on this thread's connection often did it (SQLite checkpoints at 1,000 pages), ~50 ms
   * at the end of a 1M-line ingest.
   */
  checkpoint?(): void
  /**
   * Where the commit thread sends the batch buffers it was handed (`batchBuffers`) once they are
   * stored: back to the reader, to hold later batches (absent without a commit thread).
   */
  returnBuffersTo?(recycle: (buffers: ArrayBuffer[]) => void): void
}

export function applyBatch(store: CaseStore, committer: BlockCommitter, batch: CommitBatch): void {
  committer.commit(batch.blocks, batch.lines, batch.bytesRead, () => {
    if (batch.anomalies.count > 0) store.putAnomalyColumns(committer.sourceId, batch.anomalies)
    if (batch.sessions !== undefined) registerSessionKeys(store.db, committer.sourceId, batch.sessions.first, batch.sessions.keys)
    if (batch.minerState !== undefined) store.putMinerState(batch.minerState)
    if (batch.templates !== undefined) store.putTemplates(batch.templates)
    if (batch.patch !== undefined) store.updateSource(committer.sourceId, batch.patch)
  })
}

/** Commits on the pipeline's own thread and connection. */
export function inlineSink(store: CaseStore, sourceId: number): BlockSink {
  const committer = new BlockCommitter(store.db, sourceId)
  return {
    commit: (batch) => {
      applyBatch(store, committer, batch)
      return Promise.resolve()
    },
    flush: () => Promise.resolve(),
    close: () => Promise.resolve(null)
  }
}

/** The buffers a batch can hand over without copying (those that own their whole memory). */
export function transferables(batch: CommitBatch): ArrayBuffer[] {
  const out: ArrayBuffer[] = [...(batch.batchBuffers ?? [])]
  const { lines, scores, templates, reasonIds } = batch.anomalies
  const views = [lines, scores, templates, reasonIds, ...batch.blocks.flatMap((b) => [b.columns, b.text, b.scores])]
  for (const view of views) {
    const buffer = view.buffer
    if (buffer instanceof ArrayBuffer && view.byteOffset === 0 && view.byteLength === buffer.byteLength && !out.includes(buffer)) out.push(buffer)
  }
  return out
}
