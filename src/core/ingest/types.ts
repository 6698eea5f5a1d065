import type { SessionSummary } from '../case/session-store.ts'

/** What crosses between the ingest pipeline and whoever runs it: plain, structured-cloneable data. */

/** Which scorer the worker builds for itself (a scorer object cannot cross a thread boundary). */
export type ScorerSpec = { readonly kind: 'neutral' } | { readonly kind: 'model'; readonly path: string }

export interface IngestRequest {
  readonly casePath: string
  /** A new source to add to the case (created when missing); omit when resuming. */
  readonly sourcePath?: string | undefined
  /** Resume this source of the case where its last commit left it. */
  readonly resumeSourceId?: number | undefined
  /** User format string (loghub style) instead of detection; only for a new source. */
  readonly format?: string | undefined
  /** Default: the case's recorded model if it has one, else none. */
  readonly scorer?: ScorerSpec | undefined
  /**
   * Regex whose first capture group (or match) on a record's head line is its session id
   * (`--session-key`); default: the model's key, else one detected from the first lines. A
   * resume always keeps the key its source started with.
   */
  readonly sessionKey?: string | undefined
  /** Read the source as text even though it does not look like text (see read/sniff-text.ts). */
  readonly anyway?: boolean | undefined
  /** Longest time a viewer waits to see new lines (the open tail block is committed this often). */
  readonly commitIntervalMs?: number | undefined
  readonly blocksPerCommit?: number | undefined
  readonly blockLines?: number | undefined
  readonly progressIntervalMs?: number | undefined
  /** Shortest time between two saves of the miner's state (each save also waits 20× its own cost). */
  readonly checkpointIntervalMs?: number | undefined
  /** Hash the source as it is read, for the case's record of it (default true). */
  readonly hash?: boolean | undefined
}

/** `replaying`: a resume reading past lines already in the case. */
export type IngestPhase = 'replaying' | 'ingesting' | 'finishing'

export interface IngestProgress {
  readonly sourceId: number
  readonly phase: IngestPhase
  /** Input bytes consumed (decompressed). */
  readonly bytes: number
  /** Input size when known (null for compressed input, whose decompressed size is unknown). */
  readonly totalBytes: number | null
  /** Lines in the case for this source. */
  readonly lines: number
  /** Lines per second in this run (resumed lines excluded). */
  readonly linesPerSecond: number
  readonly etaSeconds: number | null
  readonly elapsedMs: number
}

export interface ReasonCount {
  readonly reason: string
  readonly count: number
}

export interface IngestSummary {
  readonly sourceId: number
  /** `partial`: the input ended early (a cut-off .gz, a file that shrank); `error` says why. */
  readonly state: 'complete' | 'partial' | 'cancelled'
  readonly error: string | null
  readonly format: string
  readonly encoding: string
  readonly compression: string
  readonly lines: number
  /** Lines this run added (excludes lines committed by an earlier run it resumed). */
  readonly linesAdded: number
  /** Lines already in the case when this run started (a resume). */
  readonly resumedAt: number
  readonly bytes: number
  readonly templates: number
  /** Whether a scorer other than the neutral one ran, and the model's name if it was one. */
  readonly scored: boolean
  readonly model: string | null
  readonly flagged: number
  readonly topReasons: readonly ReasonCount[]
  /** Sessions (or time windows) stored for the source and how many were flagged; none until complete. */
  readonly sessions: SessionSummary
  readonly sha256: string | null
  readonly elapsedMs: number
  /** Time the pipeline spent committing (or, with a commit thread, waiting for it). */
  readonly commitMs: number
  /** Time spent snapshotting the miner and template table. */
  readonly checkpointMs: number
  /** Time spent scoring and storing sessions at the end. */
  readonly sessionMs: number
  /** CPU time of the thread that ran the pipeline (Linux), ms: the critical path, unlike wall time on a busy machine. */
  readonly pipelineCpuMs: number | null
  /** CPU time of the reader and commit threads when they run apart (null: on the pipeline's thread or not Linux). */
  readonly readerCpuMs: number | null
  readonly commitCpuMs: number | null
  /** Peak resident set of the process running the pipeline, bytes. */
  readonly maxRssBytes: number
}

export type WorkerEvent =
  | { readonly type: 'started'; readonly sourceId: number }
  | { readonly type: 'progress'; readonly progress: IngestProgress }
  | { readonly type: 'done'; readonly summary: IngestSummary }
  | { readonly type: 'error'; readonly message: string; readonly stack?: string | undefined }

export type WorkerCommand =
  /** The ingest to run: the first command a pipeline thread gets (it may be started well before). */
  | { readonly type: 'start'; readonly request: IngestRequest }
  | { readonly type: 'cancel' }
  /** No ingest after all: close the ports, so that every thread of the set exits. */
  | { readonly type: 'dispose' }
