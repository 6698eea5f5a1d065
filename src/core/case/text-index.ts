/**
 * The text index, built in the background after an ingest, in two parts.
 *
 * Per stored block, a bitmap (a one-hash Bloom filter) of the character trigrams in its
 * lower-cased text (and 4-grams). A plain-text search needs every trigram of its (lower-cased)
 * needle, a regex every trigram of the literal runs it cannot match without; blocks missing one
 * are never read. This is what finds a rare string (a trace id) among millions of lines.
 *
 * Per line, its shape (shapes/): what every line of its group has in common. A text that lies in
 * a shape's constant stretch is in all of its lines, and one that fits nowhere in the shape is in
 * none, so a search for a word of the log's own vocabulary ("timed out") takes whole groups of
 * lines without reading them, and reads only lines whose shape cannot tell.
 *
 * Both only decide what certainly holds, so answers stay exactly the scan's; lines the index
 * does not cover (not indexed yet, or a tail block that grew since) are simply searched.
 *
 * Why not words per line (FTS5, or a token → lines list): the viewer's search is a substring
 * search (`imed ou` matches `timed out`), which word postings can only approximate, so their hits
 * would have to be checked against the text anyway. The bitmaps are 8 KiB per 1,024 lines (about
 * 6% of the text: at 4 KiB they were over half full, and a short needle's blocks read were
 * mostly false hits), the shapes 2 bytes a line plus a few hundred bytes a shape.
 */
import type { LineFilter } from '../../shared/case/line-filter.ts'
import type { Db } from '../store/sqlite.ts'
import { grownTo } from '../../shared/typed-array.ts'
import type { BlockTextFilter } from './filter-lines.ts'
import { regexNeeds } from './regex-literals.ts'
import { shapedBlocks } from './shapes/build-shapes.ts'
import { buildInBatches } from './index-build.ts'
import type { BuildOptions, BuildResult, PendingBlocks } from './index-build.ts'
import { ShapeIndex } from './shapes/shape-index.ts'
import { PerSearch } from './shapes/shape-match.ts'
import type { TextVerdicts } from './shapes/shape-index.ts'

/**
 * Bits per block's bitmap: 63 × 1,024, a little under 2¹⁶, so that two blocks' rows fit in one
 * of the case's 16 KB pages (8,192 bytes and a row's few more did not: a page each, half empty).
 */
export const gramBits = 63 << 10
const words = gramBits >>> 5

/** A 32-bit hash's slot in [0, gramBits): its top 16 bits scaled by 63/64. */
function slotOf(hash: number): number {
  return ((hash >>> 16) * 63) >>> 6
}

function gramSlot(a: number, b: number, c: number): number {
  return slotOf(Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d))
}

/** Four characters: what makes numbers and ids selective (every digit trigram is in every block). */
function gram4Slot(a: number, b: number, c: number, d: number): number {
  return slotOf(Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d) ^ Math.imul(d, 0x27d4eb2f))
}

/** U+017F (long s) matches /s/i but lower-cases to itself; indexed as 's' as well. */
const longS = 0x17f

/** Sets the bits of every 3- and 4-gram of `text` (already lower-cased) that does not span a '\n'. */
export function addGrams(bits: Uint32Array, text: string): void {
  let a = -1
  let b = -1
  let c = -1
  for (let i = 0; i < text.length; i++) {
    let d = text.charCodeAt(i)
    if (d === 10) {
      a = b = c = -1
      continue
    }
    if (d === longS) d = 115
    if (b >= 0) {
      const slot = gramSlot(b, c, d)
      bits[slot >>> 5] = (bits[slot >>> 5] as number) | (1 << (slot & 31))
      if (a >= 0) {
        const slot4 = gram4Slot(a, b, c, d)
        bits[slot4 >>> 5] = (bits[slot4 >>> 5] as number) | (1 << (slot4 & 31))
      }
    }
    a = b
    b = c
    c = d
  }
}

/**
 * Gram slots a line must contain to match `filter`'s text: every clause, each by one of its slot
 * lists; empty when the index cannot tell.
 */
export function requiredGrams(filter: LineFilter): number[][][] {
  const text = filter.text ?? ''
  const caseSensitive = filter.caseSensitive ?? false
  const clauses: string[][] = filter.regex ? regexNeeds(text).clauses : [[text]]
  // Plain and case-insensitive: the scan compares lower-cased texts, so any trigram of the
  // lower-cased needle is in a matching block's lower-cased text. Otherwise (case-sensitive, or a
  // regex, whose case-insensitive matching folds a few non-ASCII letters onto ASCII ones) only
  // ASCII trigrams, whose lower-casing does not depend on their neighbours.
  const asciiOnly = filter.regex === true || caseSensitive
  const required: number[][][] = []
  for (const clause of clauses) {
    const options = clause.map((run) => runGrams(run, asciiOnly))
    // A text too short to have a gram could be anywhere: the clause rules nothing out.
    if (options.every((slots) => slots.length > 0)) required.push(options)
  }
  return required
}

function runGrams(run: string, asciiOnly: boolean): number[] {
  const lower = asciiOnly ? run.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : run.toLowerCase()
  const codes = Array.from({ length: lower.length }, (_, i) => {
    const code = lower.charCodeAt(i)
    // -1: a character no indexed gram may contain here.
    return code === 10 || (asciiOnly && code > 127) ? -1 : code === longS ? 115 : code
  })
  const slots = new Set<number>()
  for (let i = 0; i + 2 < codes.length; i++) {
    const [a, b, c, d] = [codes[i] as number, codes[i + 1] as number, codes[i + 2] as number, codes[i + 3] ?? -1]
    if (a < 0 || b < 0 || c < 0) continue
    slots.add(gramSlot(a, b, c))
    if (d >= 0) slots.add(gram4Slot(a, b, c, d))
  }
  return [...slots]
}

/** Bitmap of one block's text (the stored blob, lines joined by '\n'). */
export function blockGrams(text: string): Uint32Array {
  const bits = new Uint32Array(words)
  addGrams(bits, text.toLowerCase())
  return bits
}

/**
 * Indexes the source's blocks not indexed yet (or grown since, or with a bitmap of another size),
 * in small transactions: safe to stop at any point (cancel, crash) and to run again, which only
 * does what is left. Meant for after the ingest, in a worker thread (see text-index-job.ts),
 * beside the line shapes' build (shapes/build-shapes.ts); its own connection is fine.
 */
export function buildTextIndex(db: Db, sourceId: number, options: BuildOptions = {}): BuildResult {
  const pending = db.prepare(
    `SELECT b.block_no, b.first_line, b.line_count, b.text FROM blocks b
     LEFT JOIN text_grams g ON g.source_id = b.source_id AND g.block_no = b.block_no
     WHERE b.source_id = ? AND b.block_no > ? AND (g.line_count IS NULL OR g.line_count != b.line_count OR length(g.bits) != ${words * 4})
     ORDER BY b.block_no LIMIT ?`
  )
  const upsert = db.prepare(
    `INSERT INTO text_grams (source_id, block_no, first_line, line_count, bits) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (source_id, block_no) DO UPDATE SET first_line = excluded.first_line, line_count = excluded.line_count, bits = excluded.bits`
  )
  const blocks: PendingBlocks<{ block_no: number; first_line: number; line_count: number; text: Buffer }> = {
    total: db.prepare(`SELECT count(*) FROM blocks WHERE source_id = ?`).pluck().get(sourceId) as number,
    pending: (after, limit) => pending.all(sourceId, after, limit) as { block_no: number; first_line: number; line_count: number; text: Buffer }[],
    done: () => db.prepare(`SELECT count(*) FROM text_grams WHERE source_id = ?`).pluck().get(sourceId) as number
  }
  return buildInBatches(options, blocks, (rows) => {
    const built = rows.map((row) => ({ row, bits: blockGrams(row.text.toString('utf8')) }))
    db.transaction(() => {
      for (const { row, bits } of built) upsert.run(sourceId, row.block_no, row.first_line, row.line_count, new Uint8Array(bits.buffer))
    })()
  })
}

/** How much of a source the text index covers: blocks with their bitmap and their lines' shapes, as they are now. */
export function textIndexStatus(db: Db, sourceId: number): { blocks: number; indexed: number; bytes: number; ready: boolean } {
  const grams = db
    .prepare(
      `SELECT count(*) AS blocks, count(g.block_no) AS indexed, coalesce(sum(length(g.bits)), 0) AS bytes FROM blocks b
       LEFT JOIN text_grams g ON g.source_id = b.source_id AND g.block_no = b.block_no AND g.line_count = b.line_count AND length(g.bits) = ${words * 4}
       WHERE b.source_id = ?`
    )
    .get(sourceId) as { blocks: number; indexed: number; bytes: number }
  const shapes = shapedBlocks(db, sourceId)
  const indexed = Math.min(grams.indexed, shapes.shaped)
  return { blocks: grams.blocks, indexed, bytes: grams.bytes + shapes.bytes, ready: grams.blocks > 0 && indexed === grams.blocks }
}

/**
 * A source's text index in memory (8 KiB per block, and its lines' shapes), read on first use and
 * topped up after.
 */
export class TextIndex implements BlockTextFilter {
  #bits = new Uint32Array(0)
  /** Per slot: the block's 0-based start and line count when indexed. */
  #starts = new Int32Array(0)
  #counts = new Int32Array(0)
  #slots = 0
  readonly #slotOf = new Map<number, number>()
  #lastBlockNo = -1
  readonly #shapes = new ShapeIndex()
  /**
   * Per search, what its grams said of each slot (0 not asked yet, 1 ruled out, 2 may hold it),
   * until a block is indexed (again): a viewer asks the same search again as other criteria
   * change, and asking every block cost ~1.5 ms at 10M lines.
   */
  readonly #saidBySearch = new PerSearch<Uint8Array>()
  readonly #db: Db
  readonly #sourceId: number

  constructor(db: Db, sourceId: number) {
    this.#db = db
    this.#sourceId = sourceId
  }

  get blocks(): number {
    return this.#slots
  }

  /** Line shapes known, and their variants. */
  get shapes(): number {
    return this.#shapes.shapes
  }

  get variants(): number {
    return this.#shapes.variants
  }

  get bytes(): number {
    return this.#slots * words * 4 + this.#shapes.bytes
  }

  /**
   * Reads what was written since the last refresh (the last block again, as it may have been
   * redone), at most `maxBlocks` blocks of each part (a load in steps); true when it read all.
   */
  refresh(maxBlocks = Number.POSITIVE_INFINITY): boolean {
    const rows = this.#db
      .prepare(`SELECT block_no, first_line, line_count, bits FROM text_grams WHERE source_id = ? AND block_no >= ? ORDER BY block_no`)
      .iterate(this.#sourceId, this.#lastBlockNo) as IterableIterator<{ block_no: number; first_line: number; line_count: number; bits: Buffer }>
    let read = 0
    let done = true
    for (const row of rows) {
      if (read++ >= maxBlocks) {
        done = false
        break
      }
      const start = row.first_line - 1
      let slot = this.#slotOf.get(start)
      if (slot === undefined) {
        slot = this.#slots++
        this.#reserve(this.#slots)
        this.#slotOf.set(start, slot)
      }
      this.#starts[slot] = start
      this.#counts[slot] = row.line_count
      // A bitmap of another size (an older build) rules nothing out: the block is searched.
      if (row.bits.byteLength === words * 4) this.#bits.set(new Uint32Array(new Uint8Array(row.bits).buffer), slot * words)
      else this.#bits.fill(0xffffffff, slot * words, (slot + 1) * words)
      this.#lastBlockNo = row.block_no
    }
    if (read > 0) this.#saidBySearch.clear()
    return this.#shapes.refresh(this.#db, this.#sourceId, maxBlocks) && done
  }

  /** Builds now what its first search would build (see ShapeIndex.warm). */
  warm(): void {
    this.#shapes.warm()
  }

  blockFilter(filter: LineFilter): ((start: number, count: number) => boolean) | undefined {
    const clauses = requiredGrams(filter)
    if (clauses.length === 0 || this.#slots === 0) return undefined
    // Plain loops: a closure per clause and option per block cost ~1 µs a block.
    const bits = this.#bits
    const slotOf = this.#slotOf
    const counts = this.#counts
    const memo = this.#saidBySearch.get(filter, () => new Uint8Array(this.#slots))
    const holdsAll = (base: number): boolean => {
      for (let c = 0; c < clauses.length; c++) {
        const options = clauses[c] as number[][]
        let any = false
        for (let o = 0; !any && o < options.length; o++) {
          const grams = options[o] as number[]
          let holds = true
          for (let k = 0; holds && k < grams.length; k++) {
            const g = grams[k] as number
            holds = ((bits[base + (g >>> 5)] as number) & (1 << (g & 31))) !== 0
          }
          any = holds
        }
        if (!any) return false
      }
      return true
    }
    return (start, count) => {
      const slot = slotOf.get(start)
      if (slot === undefined || counts[slot] !== count) return true
      if (slot >= memo.length) return holdsAll(slot * words)
      let verdict = memo[slot]
      if (verdict === 0) {
        verdict = holdsAll(slot * words) ? 2 : 1
        memo[slot] = verdict
      }
      return verdict === 2
    }
  }

  verdicts(filter: LineFilter): TextVerdicts | undefined {
    return this.#shapes.verdicts(filter)
  }

  #reserve(slots: number): void {
    if (slots * words <= this.#bits.length) return
    const capacity = Math.max(slots, Math.ceil((this.#bits.length / words) * 1.5), 64)
    this.#bits = grownTo(this.#bits, capacity * words)
    this.#starts = grownTo(this.#starts, capacity)
    this.#counts = grownTo(this.#counts, capacity)
  }
}
