/**
 * Fills one source's blocks line by line and encodes them, with no database access: the writer
 * commits what it produces, and the ingest pipeline can build blocks on one thread and commit them
 * on another. The open tail block is encoded on demand (so readers see lines early) and keeps
 * filling afterwards.
 */
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

/** A block ready to store: the column, text and score blobs plus its place in the source. */
export interface EncodedBlock {
  blockNo: number
  firstLine: number
  count: number
  minTs: number | null
  maxTs: number | null
  columns: Uint8Array
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

export class BlockBuilder {
  readonly #blockLines: number
  #blockNo: number
  #firstLine: number
  #count = 0
  #columns: BlockColumns
  #scores: Float32Array
  #texts: string[] = []
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

  /** Full blocks encoded and waiting to be taken. */
  get sealedBlocks(): number {
    return this.#sealed.length
  }

  append(line: CaseLine): void {
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
    const ts = line.ts
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
      text: encodeText(this.#texts, count),
      // Copied: the scores array is reused for the next block.
      scores: new Uint8Array(this.#scores.buffer.slice(0, count * 4))
    }
  }

  #reload(tail: StoredTail): void {
    const columns = decodeColumns(tail.columns, tail.count)
    this.#texts = decodeText(tail.text)
    for (const key of Object.keys(columns) as (keyof BlockColumns)[]) this.#columns[key].set(columns[key])
    this.#scores.set(new Float32Array(new Uint8Array(tail.scores).buffer))
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
    this.#texts = []
    this.#minTs = Number.POSITIVE_INFINITY
    this.#maxTs = Number.NEGATIVE_INFINITY
  }
}
