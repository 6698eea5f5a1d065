/**
 * A source's per-line columns held in memory as flat typed arrays (about 30 bytes a line), plus
 * a summary per block (levels present, highest score, time span, templates present), so filters
 * and timeline counts skip whole blocks and stay fast at ten million lines. Built from the
 * blocks' column blobs without touching the text; extended as blocks arrive. Posting lists per
 * level and per template (4 bytes a line each) are built on first use.
 */
import type { Db } from '../store/sqlite.ts'
import { decodeColumns, decodeScores } from './block-codec.ts'
import { clearLevels, emptyLevels, grownLevels, markLevel } from './score-levels.ts'
import { grownTo } from '../../shared/typed-array.ts'
import type { ScoreLevels } from './score-levels.ts'

export interface BlockSummary {
  /** 0-based position of the block's first line. */
  start: number
  count: number
  /** Bit n set when a line of level code n is in the block. */
  levelMask: number
  maxScore: number
  /** NaN when no line in the block has a timestamp. */
  minTs: number
  maxTs: number
  /** Lines with a timestamp of their own. */
  timed: number
  /** Distinct template ids in the block, ascending. */
  templates: Int32Array
}

export interface IndexColumns {
  ts: Float64Array
  templates: Int32Array
  sessions: Int32Array
  levels: Uint8Array
  flags: Uint8Array
  scores: Float32Array
}

/**
 * Line numbers grouped by a column's value (a counting sort): `lines` holds every covered line
 * number, value v's ascending run being `lines[starts[v]] … lines[starts[v + 1] - 1]`. Covers lines
 * 1…`covered`; later lines (a source still ingesting) are scanned.
 */
export interface Postings {
  covered: number
  starts: Int32Array
  lines: Int32Array
}

export class LineIndex {
  /** Number of lines indexed; line n (1-based) sits at position n - 1. */
  length = 0
  ts = new Float64Array(0)
  templates = new Int32Array(0)
  sessions = new Int32Array(0)
  levels = new Uint8Array(0)
  flags = new Uint8Array(0)
  scores = new Float32Array(0)
  blocks: BlockSummary[] = []
  /** Largest template and session ids seen, so filters can use flat lookup tables. */
  maxTemplate = -1
  maxSession = -1
  #seen: Int32Array = new Int32Array(1024)
  #stamp = 0
  /** Bumped whenever a block's summary (re)computes: caches derived from the index compare it. */
  version = 0
  #levelPostings: Postings | undefined
  #templatePostings: Postings | undefined
  /** One bitmap per score level over the lines (see score-levels.ts), sized with the columns. */
  #scoreLevels: Int32Array[] = emptyLevels(0)

  /** An index over columns already in memory, cut into blocks of `blockLines`. */
  static fromColumns(columns: IndexColumns, blockLines = 1024): LineIndex {
    const index = new LineIndex()
    Object.assign(index, columns)
    index.length = columns.ts.length
    index.#scoreLevels = emptyLevels(index.length)
    for (let start = 0; start < index.length; start += blockLines) index.#summarize(start, Math.min(blockLines, index.length - start))
    return index
  }

  /**
   * Reads blocks from `length + 1` on, up to `maxBlocks` of them (a load in steps); call again to
   * pick up lines committed since. True when it read every block there was.
   */
  refresh(db: Db, sourceId: number, maxBlocks = Number.POSITIVE_INFINITY): boolean {
    // Size the arrays once for what is committed, rather than growing them block by block.
    const committed = db.prepare(`SELECT lines FROM sources WHERE id = ?`).pluck().get(sourceId) as number | undefined
    if (committed !== undefined) this.#reserve(committed)
    // Seek to the block holding the first line not indexed (it may have grown since), rather
    // than testing every block: a refresh while a 10M-line ingest goes on stays cheap.
    const start =
      (db
        .prepare(`SELECT first_line FROM blocks WHERE source_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1`)
        .pluck()
        .get(sourceId, this.length + 1) as number | undefined) ?? 1
    const rows = db
      .prepare(
        `SELECT b.first_line, b.line_count, b.columns, s.scores FROM blocks b
         LEFT JOIN block_scores s ON s.source_id = b.source_id AND s.block_no = b.block_no
         WHERE b.source_id = ? AND b.first_line >= ? AND b.first_line + b.line_count > ? ORDER BY b.first_line`
      )
      .iterate(sourceId, start, this.length + 1) as IterableIterator<{ first_line: number; line_count: number; columns: Buffer; scores: Buffer | null }>
    let read = 0
    for (const row of rows) {
      if (read++ >= maxBlocks) return false
      const start = row.first_line - 1
      const end = start + row.line_count
      this.#reserve(end)
      const columns = decodeColumns(row.columns, row.line_count)
      const scores = row.scores ? decodeScores(row.scores) : undefined
      this.ts.set(columns.ts, start)
      this.templates.set(columns.templates, start)
      this.sessions.set(columns.sessions, start)
      this.levels.set(columns.levels, start)
      this.flags.set(columns.flags, start)
      if (scores) this.scores.set(scores, start)
      else this.scores.fill(0, start, end)
      this.length = Math.max(this.length, end)
      this.#summarize(start, row.line_count)
    }
    return true
  }

  /**
   * Line numbers per level code, built on first use (one pass, 4 bytes a line) and rebuilt only
   * once the lines added since exceed an eighth of those covered; the rest are scanned.
   */
  levelPostings(): Postings {
    if (stale(this.#levelPostings, this.length)) this.#levelPostings = buildPostings(this.levels, this.length, 256)
    return this.#levelPostings as Postings
  }

  /** Line numbers per raw template id (lines with no template, -1, are left out); as `levelPostings`. */
  templatePostings(): Postings {
    if (stale(this.#templatePostings, this.length)) this.#templatePostings = buildPostings(this.templates, this.length, this.maxTemplate + 1)
    return this.#templatePostings as Postings
  }

  /** Lines by score level (see score-levels.ts), kept as blocks are summarised. */
  scoreLevels(): ScoreLevels {
    return this.#scoreLevels
  }

  /** Bytes held by the posting lists built so far and the score levels. */
  get postingsBytes(): number {
    let bytes = 0
    for (const p of [this.#levelPostings, this.#templatePostings]) if (p) bytes += p.lines.byteLength + p.starts.byteLength
    for (const bits of this.#scoreLevels) bytes += bits.byteLength
    return bytes
  }

  /** Re-reads scores only (after a re-score), keeping everything else. */
  refreshScores(db: Db, sourceId: number): void {
    const rows = db
      .prepare(`SELECT b.first_line, s.scores FROM blocks b JOIN block_scores s ON s.source_id = b.source_id AND s.block_no = b.block_no WHERE b.source_id = ?`)
      .iterate(sourceId) as IterableIterator<{ first_line: number; scores: Buffer }>
    for (const row of rows) this.scores.set(decodeScores(row.scores), row.first_line - 1)
    this.blocks.forEach((block, slot) => this.#summarize(block.start, block.count, slot))
  }

  #summarize(start: number, count: number, slot?: number): void {
    this.version++
    // Blocks arrive in order; only the growing tail block is summarised again, or every block
    // after new scores. Its lines may have changed levels.
    const last = this.blocks.at(-1)
    const again = slot !== undefined || last?.start === start
    if (again) clearLevels(this.#scoreLevels, start, start + count)
    const scoreLevels = this.#scoreLevels
    let levelMask = 0
    let maxScore = Number.NEGATIVE_INFINITY
    let minTs = Number.POSITIVE_INFINITY
    let maxTs = Number.NEGATIVE_INFINITY
    let timed = 0
    const templates: number[] = []
    this.#stamp++
    for (let i = start; i < start + count; i++) {
      levelMask |= 1 << (this.levels[i] as number)
      const score = this.scores[i] as number
      if (score > maxScore) maxScore = score
      markLevel(scoreLevels, i, score)
      const t = this.ts[i] as number
      if (t < minTs) minTs = t
      if (t > maxTs) maxTs = t
      if (t === t) timed++
      const template = this.templates[i] as number
      if (template >= 0) {
        // A stamp per block instead of a Set: an order of magnitude faster at index load.
        if (template >= this.#seen.length) this.#seen = grownTo(this.#seen, Math.max(template + 1, this.#seen.length * 2))
        if (this.#seen[template] !== this.#stamp) {
          this.#seen[template] = this.#stamp
          templates.push(template)
        }
      }
      if (template > this.maxTemplate) this.maxTemplate = template
      const session = this.sessions[i] as number
      if (session > this.maxSession) this.maxSession = session
    }
    const summary: BlockSummary = {
      start,
      count,
      levelMask,
      maxScore,
      minTs: minTs === Number.POSITIVE_INFINITY ? Number.NaN : minTs,
      maxTs: maxTs === Number.NEGATIVE_INFINITY ? Number.NaN : maxTs,
      timed,
      templates: Int32Array.from(templates).sort()
    }
    if (slot !== undefined) this.blocks[slot] = summary
    else if (again) this.blocks[this.blocks.length - 1] = summary
    else this.blocks.push(summary)
  }

  #reserve(lines: number): void {
    if (lines <= this.ts.length) return
    const capacity = Math.max(lines, Math.ceil(this.ts.length * 1.5), 4096)
    this.ts = grownTo(this.ts, capacity)
    this.templates = grownTo(this.templates, capacity)
    this.sessions = grownTo(this.sessions, capacity)
    this.levels = grownTo(this.levels, capacity)
    this.flags = grownTo(this.flags, capacity)
    this.scores = grownTo(this.scores, capacity)
    this.#scoreLevels = grownLevels(this.#scoreLevels, capacity)
  }
}

/** Whether posting lists over `length` lines are due a rebuild (see `levelPostings`). */
export function stale(postings: Postings | undefined, length: number): boolean {
  return !postings || postings.covered > length || length - postings.covered > postings.covered / 8
}

/** Lines 1…`length` grouped by their value in `column` (values from 0 below `values`; others left out). */
export function buildPostings(column: Uint8Array | Uint16Array | Int32Array, length: number, values: number): Postings {
  const starts = new Int32Array(values + 1)
  for (let i = 0; i < length; i++) {
    const v = column[i] as number
    if (v >= 0 && v < values) starts[v + 1] = (starts[v + 1] as number) + 1
  }
  for (let v = 0; v < values; v++) starts[v + 1] = (starts[v + 1] as number) + (starts[v] as number)
  const lines = new Int32Array(starts[values] as number)
  const fill = starts.slice(0, values)
  for (let i = 0; i < length; i++) {
    const v = column[i] as number
    if (v >= 0 && v < values) {
      const at = fill[v] as number
      lines[at] = i + 1
      fill[v] = at + 1
    }
  }
  return { covered: length, starts, lines }
}
