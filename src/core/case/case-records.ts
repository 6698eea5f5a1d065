/**
 * A case source's stored records read back, block by block, for training and re-scoring: the
 * lines need not be read (or parsed) again from the log file, which may be gone. A record is a
 * head line plus the continuation lines after it (the `continuation` flag); continuation lines
 * share their head's columns, so only heads are yielded. Block text is decoded only when a
 * caller asks for a head's text (most re-scored lines are judged on template and level alone).
 */
import type { LineSplitterLike } from '../format/index.ts'
import type { Db } from '../store/sqlite.ts'
import { decodeColumns, decodeText, lineFlag } from './block-codec.ts'
import type { BlockColumns } from './block-codec.ts'

/** Which records: a line range, a time range, explicit lines, or all of them (every given part must hold). */
export interface RecordSelection {
  /** Inclusive 1-based line numbers; a record is in when its head line is. */
  readonly lines?: { readonly from: number; readonly to: number } | undefined
  /** Inclusive epoch ms; a record without a time of its own takes the last one before it. */
  readonly time?: { readonly from: number; readonly to: number } | undefined
  /** Explicit head line numbers (a continuation line's number selects its head). */
  readonly only?: Iterable<number> | undefined
}

/** One stored block, its columns decoded, its text on demand. */
export interface StoredBlock {
  readonly blockNo: number
  readonly firstLine: number
  readonly count: number
  readonly columns: BlockColumns
  /** Per-line scores as stored (zeros when the block has none). */
  readonly scores: Float32Array
  /** The block's lines' text (decoded on first call). */
  texts(): readonly string[]
}

interface BlockRow {
  block_no: number
  first_line: number
  line_count: number
  columns: Buffer
  text: Buffer
  scores: Buffer | null
}

/** The source's blocks in line order, optionally only those overlapping lines `from`…`to`. */
export function* storedBlocks(db: Db, sourceId: number, from = 1, to = Number.MAX_SAFE_INTEGER): Generator<StoredBlock> {
  // `text` is selected but not decoded: better-sqlite3 hands it over as one Buffer either way.
  const rows = db
    .prepare(
      `SELECT b.block_no, b.first_line, b.line_count, b.columns, b.text, s.scores FROM blocks b
       LEFT JOIN block_scores s ON s.source_id = b.source_id AND s.block_no = b.block_no
       WHERE b.source_id = ? AND b.first_line <= ? AND b.first_line + b.line_count > ? ORDER BY b.first_line`
    )
    .iterate(sourceId, to, from) as IterableIterator<BlockRow>
  for (const row of rows) {
    let texts: string[] | undefined
    yield {
      blockNo: row.block_no,
      firstLine: row.first_line,
      count: row.line_count,
      columns: decodeColumns(row.columns, row.line_count),
      scores: row.scores ? new Float32Array(new Uint8Array(row.scores).buffer) : new Float32Array(row.line_count),
      texts: () => (texts ??= decodeText(row.text))
    }
  }
}

/** A record's head line as stored. */
export interface StoredRecord {
  readonly lineNo: number
  readonly text: string
  /** Epoch ms or null. */
  readonly ts: number | null
  readonly level: number
  /** The case miner's raw template id. */
  readonly template: number
  /** Session id (the source's numbering), -1 for none. */
  readonly session: number
  /** See `lineFlag`. */
  readonly flags: number
}

/**
 * A stored head line's content (the message after its header), as the ingest mined it. A line
 * the ingest found fitting the layout is not checked again (its timestamp not parsed again).
 */
export function storedContent(splitter: LineSplitterLike, text: string, flags: number): string {
  return splitter.fittingContent && (flags & lineFlag.unparsed) === 0 ? splitter.fittingContent(text) : splitter.content(text)
}

/** The selected records' heads, in line order, plus how many physical lines they span. */
export function* storedRecords(db: Db, sourceId: number, selection: RecordSelection = {}, tally?: { lines: number; records: number }): Generator<StoredRecord> {
  const { lines, time } = selection
  const only = selection.only ? normalizedOnly(db, sourceId, selection.only) : undefined
  let lastTs = Number.NaN
  let inRecord = false
  for (const block of storedBlocks(db, sourceId, lines?.from, lines?.to)) {
    const c = block.columns
    for (let i = 0; i < block.count; i++) {
      const lineNo = block.firstLine + i
      const flags = c.flags[i] as number
      if ((flags & lineFlag.continuation) !== 0) {
        if (inRecord && tally) tally.lines++
        continue
      }
      const own = c.ts[i] as number
      if (own === own) lastTs = own
      inRecord =
        (!lines || (lineNo >= lines.from && lineNo <= lines.to)) &&
        (!time || (lastTs >= time.from && lastTs <= time.to)) &&
        (!only || only.has(lineNo))
      if (!inRecord) continue
      if (tally) {
        tally.lines++
        tally.records++
      }
      yield {
        lineNo,
        text: block.texts()[i] ?? '',
        ts: own === own ? own : null,
        level: c.levels[i] as number,
        template: c.templates[i] as number,
        session: c.sessions[i] as number,
        flags
      }
    }
  }
}

/** Explicit lines as head line numbers: a continuation line stands for the record it belongs to. */
function normalizedOnly(db: Db, sourceId: number, lines: Iterable<number>): Set<number> {
  const wanted = [...new Set(lines)].sort((a, b) => a - b)
  const heads = new Set<number>()
  const first = wanted[0]
  if (first === undefined) return heads
  let k = 0
  let head = -1
  for (const block of storedBlocks(db, sourceId, 1, wanted.at(-1))) {
    for (let i = 0; i < block.count && k < wanted.length; i++) {
      const lineNo = block.firstLine + i
      if (((block.columns.flags[i] as number) & lineFlag.continuation) === 0) head = lineNo
      while (k < wanted.length && (wanted[k] as number) < lineNo) k++
      if (wanted[k] === lineNo) {
        if (head > 0) heads.add(head)
        k++
      }
    }
  }
  return heads
}
