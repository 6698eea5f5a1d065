/**
 * Fills one source's blocks line by line and encodes them, with no database access: the writer
 * commits what it produces, and the ingest pipeline can build blocks on one thread and commit them
 * on another. The open tail block is encoded on demand (so readers see lines early) and keeps
 * filling afterwards.
 */
import { allocateColumns, decodeColumns, decodeScores, encodeColumns } from './block-codec.ts'
import type { BlockColumns } from './block-codec.ts'
import type { BatchText } from '../read/batch-text.ts'

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

/** A block ready to store: the column, text and score blobs plus its place in the source. */
export interface EncodedBlock {
  blockNo: number
  firstLine: number
  count: number
  minTs: number | null
  maxTs: number | null
  columns: Uint8Array
  /** The lines joined by '\n': for lines of one batch of bytes, a view of them (see ingest/batch-buffers.ts). */
  text: Uint8Array
  scores: Uint8Array
}

/** The last stored block of a source, to go on filling it after a restart. */
export interface StoredTail {
  blockNo: number
  firstLine: number
  count: number
  columns: Uint8Array
  text: Uint8Array
  scores: Uint8Array
}

export const defaultBlockLines = 1024

const newline = Uint8Array.of(10)

export class BlockBuilder {
  readonly #blockLines: number
  #blockNo: number
  #firstLine: number
  #count = 0
  #columns: BlockColumns
  #scores: Float32Array
  /**
   * The block's text as runs of consecutive lines, each a range of one text: the ingest's
   * lines are ranges of its batch text, so a block is usually one or two runs, with no string
   * per line and no join of a thousand of them (lines are joined by '\n' in both). A run of
   * ASCII bytes (see batch-text.ts) is copied as it is, with no encoding.
   */
  #runSources: BatchText[] = []
  #runStarts: number[] = []
  #runEnds: number[] = []
  #minTs = Number.POSITIVE_INFINITY
  #maxTs = Number.NEGATIVE_INFINITY
  #sealed: EncodedBlock[] = []

  /** `tail` is the source's last stored block, or undefined for a new source. */
  constructor(blockLines: number = defaultBlockLines, tail?: StoredTail) {
    this.#blockLines = blockLines
    this.#columns = allocateColumns(blockLines)
    this.#scores = new Float32Array(blockLines)
    if (tail && tail.count < blockLines) {
      this.#blockNo = tail.blockNo
      this.#firstLine = tail.firstLine
      this.#reload(tail)
    } else {
      this.#blockNo = tail ? tail.blockNo + 1 : 0
      this.#firstLine = tail ? tail.firstLine + tail.count : 1
    }
  }

  /** Line number the next appended line gets. */
  get nextLine(): number {
    return this.#firstLine + this.#count
  }

  /** The texts the open block's lines are in (their bytes must stay where they are while it is open). */
  get openSources(): readonly BatchText[] {
    return this.#runSources
  }

  /** Full blocks encoded and waiting to be taken. */
  get sealedBlocks(): number {
    return this.#sealed.length
  }

  append(line: CaseLine): void {
    this.appendRange(line.offset, line.ts, line.template, line.session, line.level, line.flags, line.score, line.text, 0, line.text.length)
  }

  /**
   * `append` of a line whose text is `source.slice(start, end)`, without slicing it: the ingest's
   * hot path (one call per line, hence plain arguments rather than an object).
   */
  appendRange(offset: number, ts: number, template: number, session: number, level: number, flags: number, score: number, source: BatchText, start: number, end: number): void {
    const i = this.#count
    const c = this.#columns
    c.offsets[i] = offset
    c.ts[i] = ts
    c.templates[i] = template
    c.sessions[i] = session
    c.levels[i] = level
    c.flags[i] = flags
    this.#scores[i] = score
    const last = this.#runSources.length - 1
    if (i > 0 && this.#runSources[last] === source && this.#runEnds[last] === start - 1) this.#runEnds[last] = end
    else {
      this.#runSources.push(source)
      this.#runStarts.push(start)
      this.#runEnds.push(end)
    }
    if (ts === ts) {
      if (ts < this.#minTs) this.#minTs = ts
      if (ts > this.#maxTs) this.#maxTs = ts
    }
    if (++this.#count === this.#blockLines) this.#seal()
  }

  /**
   * The sealed blocks (handed over, not kept) plus, when it holds lines, an encoding of the open
   * tail block, which stays open and is encoded again (same block number) next time.
   */
  take(): EncodedBlock[] {
    const out = this.#sealed
    this.#sealed = []
    if (this.#count > 0) out.push(this.#encode())
    return out
  }

  #encode(): EncodedBlock {
    const count = this.#count
    const hasTs = this.#minTs !== Number.POSITIVE_INFINITY
    return {
      blockNo: this.#blockNo,
      firstLine: this.#firstLine,
      count,
      minTs: hasTs ? this.#minTs : null,
      maxTs: hasTs ? this.#maxTs : null,
      columns: encodeColumns(this.#columns, count),
      text: this.#encodeText(),
      // Copied: the scores array is reused for the next block.
      scores: new Uint8Array(this.#scores.buffer.slice(0, count * 4))
    }
  }

  #encodeText(): Buffer {
    const sources = this.#runSources
    const n = sources.length
    const only = sources[0] as BatchText
    if (n === 1) {
      const start = this.#runStarts[0] as number
      const end = this.#runEnds[0] as number
      // Lines of one batch of bytes: a view of them, no copy. Whoever hands the block to another
      // thread copies it, or hands the batch's buffer on with it (see ingest/batch-buffers.ts).
      return typeof only === 'string' ? Buffer.from(only.slice(start, end), 'utf8') : Buffer.from(only.buffer, only.byteOffset + start, end - start)
    }
    const parts: Uint8Array[] = []
    for (let r = 0; r < n; r++) {
      const source = sources[r] as BatchText
      const start = this.#runStarts[r] as number
      const end = this.#runEnds[r] as number
      if (r > 0) parts.push(newline)
      parts.push(typeof source === 'string' ? Buffer.from(source.slice(start, end), 'utf8') : source.subarray(start, end))
    }
    // A copy of its own, to transfer: lines of two batches, say.
    return Buffer.concat(parts)
  }

  #reload(tail: StoredTail): void {
    const columns = decodeColumns(tail.columns, tail.count)
    // The stored text is the block's lines joined by '\n': one run.
    const text = Buffer.from(tail.text.buffer, tail.text.byteOffset, tail.text.byteLength).toString('utf8')
    this.#runSources = [text]
    this.#runStarts = [0]
    this.#runEnds = [text.length]
    for (const key of Object.keys(columns) as (keyof BlockColumns)[]) this.#columns[key].set(columns[key])
    this.#scores.set(decodeScores(tail.scores))
    for (const ts of columns.ts) {
      if (ts !== ts) continue
      if (ts < this.#minTs) this.#minTs = ts
      if (ts > this.#maxTs) this.#maxTs = ts
    }
    this.#count = tail.count
  }

  #seal(): void {
    this.#sealed.push(this.#encode())
    this.#blockNo++
    this.#firstLine += this.#count
    this.#count = 0
    this.#runSources = []
    this.#runStarts = []
    this.#runEnds = []
    this.#minTs = Number.POSITIVE_INFINITY
    this.#maxTs = Number.NEGATIVE_INFINITY
  }
}
