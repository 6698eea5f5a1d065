/**
 * Appends one source's lines to a case, a block at a time. Blocks are committed together with
 * the source's progress (lines and input bytes) in one transaction, so after a crash the case
 * holds whole blocks and knows exactly where to resume. The open tail block can be flushed early
 * (so a viewer sees lines while they arrive) and is rewritten as it fills.
 */
import type { Db } from '../store/sqlite.ts'
import { BlockBuilder, defaultBlockLines } from './block-builder.ts'
import type { CaseLine, EncodedBlock, StoredTail } from './block-builder.ts'

export type { CaseLine, EncodedBlock } from './block-builder.ts'
export { defaultBlockLines } from './block-builder.ts'

export interface SourceWriterOptions {
  blockLines?: number
  /** Blocks per transaction: fewer fsyncs, still bounded loss on a crash. */
  blocksPerCommit?: number
  /**
   * Commit by itself every `blocksPerCommit` blocks (default true). The ingest pipeline turns it
   * off to commit only between records, so a resume never starts inside a stack trace.
   */
  autoCommit?: boolean
}

/** The source's last stored block, if any: where a writer (or a block builder) goes on from. */
export function readTail(db: Db, sourceId: number): StoredTail | undefined {
  const row = db
    .prepare(
      `SELECT b.block_no, b.first_line, b.line_count, b.text, b.columns, s.scores
       FROM blocks b JOIN block_scores s USING (source_id, block_no)
       WHERE b.source_id = ? ORDER BY b.block_no DESC LIMIT 1`
    )
    .get(sourceId) as { block_no: number; first_line: number; line_count: number; text: Buffer; columns: Buffer; scores: Buffer } | undefined
  return row && { blockNo: row.block_no, firstLine: row.first_line, count: row.line_count, columns: row.columns, text: row.text, scores: row.scores }
}

/** Writes encoded blocks and the source's progress in one transaction, with `also` inside it. */
export class BlockCommitter {
  readonly sourceId: number
  readonly #db: Db
  readonly #insertBlock
  readonly #insertScores
  readonly #progress

  constructor(db: Db, sourceId: number) {
    this.#db = db
    this.sourceId = sourceId
    this.#insertBlock = db.prepare(
      `INSERT INTO blocks (source_id, block_no, first_line, line_count, min_ts, max_ts, columns, text)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (source_id, block_no) DO UPDATE SET line_count = excluded.line_count, min_ts = excluded.min_ts,
         max_ts = excluded.max_ts, text = excluded.text, columns = excluded.columns`
    )
    this.#insertScores = db.prepare(
      `INSERT INTO block_scores (source_id, block_no, scores) VALUES (?, ?, ?)
       ON CONFLICT (source_id, block_no) DO UPDATE SET scores = excluded.scores`
    )
    this.#progress = db.prepare(`UPDATE sources SET lines = ?, bytes_read = ? WHERE id = ?`)
  }

  commit(blocks: readonly EncodedBlock[], lines: number, bytesRead: number, also?: () => void): void {
    this.#db.transaction(() => {
      for (const b of blocks) {
        this.#insertBlock.run(this.sourceId, b.blockNo, b.firstLine, b.count, b.minTs, b.maxTs, b.columns, b.text)
        this.#insertScores.run(this.sourceId, b.blockNo, b.scores)
      }
      this.#progress.run(lines, bytesRead, this.sourceId)
      also?.()
    })()
  }
}

export class SourceWriter {
  readonly sourceId: number
  readonly #builder: BlockBuilder
  readonly #committer: BlockCommitter
  readonly #blocksPerCommit: number
  readonly #autoCommit: boolean
  #linesCommitted: number

  constructor(db: Db, sourceId: number, options: SourceWriterOptions = {}) {
    this.sourceId = sourceId
    this.#blocksPerCommit = options.blocksPerCommit ?? 64
    this.#autoCommit = options.autoCommit ?? true
    // Resume after what is already committed. A partial tail block is loaded back and goes on
    // filling, so line numbers and the input position stay in step.
    this.#builder = new BlockBuilder(options.blockLines ?? defaultBlockLines, readTail(db, sourceId))
    this.#committer = new BlockCommitter(db, sourceId)
    this.#linesCommitted = this.#builder.nextLine - 1
  }

  /** Line number the next appended line gets. */
  get nextLine(): number {
    return this.#builder.nextLine
  }

  /** Lines durably in the case. */
  get linesCommitted(): number {
    return this.#linesCommitted
  }

  /** Full blocks waiting for a commit. */
  get pendingBlocks(): number {
    return this.#builder.sealedBlocks
  }

  /** `bytesRead` (the input position after this line) is needed only when committing by itself. */
  append(line: CaseLine, bytesRead?: number): void {
    this.#builder.append(line)
    if (this.#autoCommit && bytesRead !== undefined && this.#builder.sealedBlocks >= this.#blocksPerCommit) this.commit(bytesRead)
  }

  /**
   * Makes everything appended so far durable and visible, the open tail block included.
   * `bytesRead` is the input position just after the last appended line (the resume point);
   * `also` runs inside the same transaction (anomalies, miner state…).
   */
  commit(bytesRead: number, also?: () => void): void {
    const lines = this.nextLine - 1
    this.#committer.commit(this.#builder.take(), lines, bytesRead, also)
    this.#linesCommitted = lines
  }
}
