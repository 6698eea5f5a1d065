/**
 * Reads lines back by line number, a block at a time, with a small cache of decoded blocks:
 * scrolling asks for overlapping windows, and a block decodes once.
 */
import type { Db } from '../store/sqlite.ts'
import { decodeColumns, decodeText } from './block-codec.ts'
import type { BlockColumns } from './block-codec.ts'

export interface StoredLine {
  lineNo: number
  offset: number
  text: string
  ts: number | null
  level: number
  template: number
  session: number
  flags: number
  score: number
}

interface DecodedBlock {
  firstLine: number
  count: number
  columns: BlockColumns
  texts: string[]
  scores: Float32Array
}

interface BlockRow {
  first_line: number
  line_count: number
  columns: Buffer
  text: Buffer
  scores: Buffer | null
}

export class BlockReader {
  readonly #cache = new Map<string, DecodedBlock>()
  readonly #cacheSize: number
  readonly #locate
  readonly #load

  constructor(db: Db, cacheSize = 32) {
    this.#cacheSize = cacheSize
    this.#locate = db.prepare(
      `SELECT first_line, line_count FROM blocks WHERE source_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1`
    )
    this.#load = db.prepare(
      `SELECT b.first_line, b.line_count, b.columns, b.text, s.scores
       FROM blocks b LEFT JOIN block_scores s ON s.source_id = b.source_id AND s.block_no = b.block_no
       WHERE b.source_id = ? AND b.first_line = ?`
    )
  }

  /** Lines `from`…`from + count - 1` that exist (fewer at the end of the source). */
  window(sourceId: number, from: number, count: number): StoredLine[] {
    const out: StoredLine[] = []
    const end = from + count
    let lineNo = Math.max(1, from)
    while (lineNo < end) {
      const block = this.#block(sourceId, lineNo)
      if (!block) break
      const stop = Math.min(end, block.firstLine + block.count)
      for (; lineNo < stop; lineNo++) out.push(lineAt(block, lineNo - block.firstLine))
    }
    return out
  }

  /** Forget decoded blocks, e.g. after a re-score. */
  invalidate(): void {
    this.#cache.clear()
  }

  #block(sourceId: number, lineNo: number): DecodedBlock | undefined {
    const where = this.#locate.get(sourceId, lineNo) as { first_line: number; line_count: number } | undefined
    if (!where || lineNo >= where.first_line + where.line_count) return undefined
    const key = `${sourceId}:${where.first_line}`
    const cached = this.#cache.get(key)
    // A tail block that grew since it was cached is decoded again.
    if (cached && cached.count === where.line_count) return cached
    const row = this.#load.get(sourceId, where.first_line) as BlockRow
    const decoded: DecodedBlock = {
      firstLine: row.first_line,
      count: row.line_count,
      columns: decodeColumns(row.columns, row.line_count),
      texts: decodeText(row.text),
      scores: row.scores ? new Float32Array(new Uint8Array(row.scores).buffer) : new Float32Array(row.line_count)
    }
    this.#cache.delete(key)
    this.#cache.set(key, decoded)
    if (this.#cache.size > this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string)
    return decoded
  }
}

function lineAt(block: DecodedBlock, i: number): StoredLine {
  const c = block.columns
  const ts = c.ts[i] as number
  return {
    lineNo: block.firstLine + i,
    offset: c.offsets[i] as number,
    text: block.texts[i] ?? '',
    ts: ts === ts ? ts : null,
    level: c.levels[i] as number,
    template: c.templates[i] as number,
    session: c.sessions[i] as number,
    flags: c.flags[i] as number,
    score: block.scores[i] as number
  }
}
