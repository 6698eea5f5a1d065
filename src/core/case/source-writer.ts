/**
 * Appends one source's lines to a case, a block at a time. A block is committed together with
 * the source's progress (lines and input bytes) in one transaction, so after a crash the case
 * holds whole blocks and knows exactly where to resume. The open tail block can be flushed early
 * (so a viewer sees lines while they arrive) and is rewritten as it fills.
 */
import type { Db } from '../store/sqlite.ts'
import { allocateColumns, decodeColumns, decodeText, encodeColumns, encodeText } from './block-codec.ts'
import type { BlockColumns } from './block-codec.ts'

export interface CaseLine {
  offset: number
  text: string
  /** Epoch ms or NaN. */
  ts: number
  template: number
  session: number
  level: number
  flags: number
  score: number
}

export interface SourceWriterOptions {
  blockLines?: number
  /** Blocks per transaction: fewer fsyncs, still bounded loss on a crash. */
  blocksPerCommit?: number
}

export const defaultBlockLines = 1024

interface StoredBlock {
  block_no: number
  first_line: number
  line_count: number
  text: Buffer
  columns: Buffer
  scores: Buffer
}

export class SourceWriter {
  readonly sourceId: number
  readonly #db: Db
  readonly #blockLines: number
  readonly #blocksPerCommit: number
  readonly #insertBlock
  readonly #insertScores
  readonly #progress
  #blockNo: number
  #firstLine: number
  #count = 0
  #columns: BlockColumns
  #scores: Float32Array
  #texts: string[] = []
  #minTs = Number.POSITIVE_INFINITY
  #maxTs = Number.NEGATIVE_INFINITY
  /** Blocks encoded but not yet committed, as statement arguments. */
  #pending: { block: unknown[]; scores: unknown[] }[] = []
  #linesCommitted: number

  constructor(db: Db, sourceId: number, options: SourceWriterOptions = {}) {
    this.#db = db
    this.sourceId = sourceId
    this.#blockLines = options.blockLines ?? defaultBlockLines
    this.#blocksPerCommit = options.blocksPerCommit ?? 64
    this.#columns = allocateColumns(this.#blockLines)
    this.#scores = new Float32Array(this.#blockLines)
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
    // Resume after what is already committed. A partial tail block is loaded back and goes on
    // filling, so line numbers and the input position stay in step.
    const tail = db
      .prepare(
        `SELECT b.block_no, b.first_line, b.line_count, b.text, b.columns, s.scores
         FROM blocks b JOIN block_scores s USING (source_id, block_no)
         WHERE b.source_id = ? ORDER BY b.block_no DESC LIMIT 1`
      )
      .get(sourceId) as StoredBlock | undefined
    if (tail && tail.line_count < this.#blockLines) {
      this.#blockNo = tail.block_no
      this.#firstLine = tail.first_line
      this.#reload(tail)
    } else {
      this.#blockNo = tail ? tail.block_no + 1 : 0
      this.#firstLine = tail ? tail.first_line + tail.line_count : 1
    }
    this.#linesCommitted = this.#firstLine - 1 + this.#count
  }

  /** Line number the next appended line gets. */
  get nextLine(): number {
    return this.#firstLine + this.#count
  }

  /** Lines durably in the case. */
  get linesCommitted(): number {
    return this.#linesCommitted
  }

  append(line: CaseLine, bytesRead: number): void {
    const i = this.#count
    const c = this.#columns
    c.offsets[i] = line.offset
    c.ts[i] = line.ts
    c.templates[i] = line.template
    c.sessions[i] = line.session
    c.levels[i] = line.level
    c.flags[i] = line.flags
    this.#scores[i] = line.score
    this.#texts[i] = line.text
    if (line.ts === line.ts) {
      if (line.ts < this.#minTs) this.#minTs = line.ts
      if (line.ts > this.#maxTs) this.#maxTs = line.ts
    }
    this.#count++
    if (this.#count === this.#blockLines) {
      this.#seal()
      if (this.#pending.length >= this.#blocksPerCommit) this.commit(bytesRead)
    }
  }

  /**
   * Makes everything appended so far durable and visible, the open tail block included.
   * `bytesRead` is the input position just after the last appended line (the resume point).
   */
  commit(bytesRead: number): void {
    const tail = this.#count > 0 ? this.#encode(this.#count) : undefined
    const pending = this.#pending
    const lines = this.nextLine - 1
    this.#db.transaction(() => {
      for (const { block, scores } of pending) {
        this.#insertBlock.run(...block)
        this.#insertScores.run(...scores)
      }
      if (tail) {
        this.#insertBlock.run(...tail.block)
        this.#insertScores.run(...tail.scores)
      }
      this.#progress.run(lines, bytesRead, this.sourceId)
    })()
    this.#pending = []
    this.#linesCommitted = lines
  }

  #encode(count: number): { block: unknown[]; scores: unknown[] } {
    const hasTs = this.#minTs !== Number.POSITIVE_INFINITY
    const scores = Buffer.from(this.#scores.buffer, 0, count * 4)
    return {
      block: [
        this.sourceId,
        this.#blockNo,
        this.#firstLine,
        count,
        hasTs ? this.#minTs : null,
        hasTs ? this.#maxTs : null,
        encodeColumns(this.#columns, count),
        encodeText(this.#texts, count)
      ],
      // Copied: the scores array is reused for the next block.
      scores: [this.sourceId, this.#blockNo, Buffer.from(scores)]
    }
  }

  #reload(tail: StoredBlock): void {
    const columns = decodeColumns(tail.columns, tail.line_count)
    const scores = new Float32Array(new Uint8Array(tail.scores).buffer)
    this.#texts = decodeText(tail.text)
    for (const key of Object.keys(columns) as (keyof BlockColumns)[]) this.#columns[key].set(columns[key])
    this.#scores.set(scores)
    for (const ts of columns.ts) {
      if (ts !== ts) continue
      if (ts < this.#minTs) this.#minTs = ts
      if (ts > this.#maxTs) this.#maxTs = ts
    }
    this.#count = tail.line_count
  }

  #seal(): void {
    this.#pending.push(this.#encode(this.#count))
    this.#blockNo++
    this.#firstLine += this.#count
    this.#count = 0
    this.#texts = []
    this.#minTs = Number.POSITIVE_INFINITY
    this.#maxTs = Number.NEGATIVE_INFINITY
  }
}
