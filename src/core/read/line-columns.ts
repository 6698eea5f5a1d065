import type { Line } from './types.ts'
import { grownTo } from '../../shared/typed-array.ts'
import { batchBytes, copyBytes, sliceText } from './batch-text.ts'
import type { BatchText } from './batch-text.ts'

/**
 * A batch of lines as columns: one text holding every line, each followed by '\n', plus typed
 * arrays. A chunk of a plain log goes into it with one call, where a `Line` per line cost a
 * decode, a string and an object each (and the garbage collector's time to copy them). An ASCII
 * chunk stays bytes (see batch-text.ts): the reader never decodes it, the pipeline gets it as it is.
 */
export interface LineColumns {
  /** Line number of the first line (1-based). */
  readonly firstLineNo: number
  readonly count: number
  /** Line `i` is `text.slice(starts[i], starts[i + 1] - 1)`; a '\n' follows every line. */
  readonly text: BatchText
  /** Length count + 1. */
  readonly starts: Int32Array
  /** Byte offset of each line in the (decompressed) stream. */
  readonly offsets: Float64Array
  /** Bytes of each line as stored, terminator excluded (also when truncated). */
  readonly byteLengths: Float64Array
  /** 1 where the line was cut to the line cap (its text ends with the truncation marker). */
  readonly truncated: Uint8Array
}

/** The text of line `i`. */
export function columnLine(c: LineColumns, i: number): string {
  return lineIn(c.text, c.starts, i)
}

/** Line `i` of a text that holds lines each followed by '\n', which start at `starts`. */
function lineIn(text: BatchText, starts: Int32Array, i: number): string {
  return sliceText(text, starts[i] as number, (starts[i + 1] as number) - 1)
}

export function columnLineOf(c: LineColumns, i: number): Line {
  return {
    lineNo: c.firstLineNo + i,
    offset: c.offsets[i] as number,
    text: columnLine(c, i),
    byteLength: c.byteLengths[i] as number,
    truncated: c.truncated[i] === 1
  }
}

/** The batch as `Line` objects. */
export function linesOf(c: LineColumns): Line[] {
  const out = new Array<Line>(c.count)
  for (let i = 0; i < c.count; i++) out[i] = columnLineOf(c, i)
  return out
}

/**
 * Lines [from, to) as a batch of their own. Bytes are a view of the same memory unless `own`
 * (a batch that is transferred to another thread takes its whole buffer along).
 */
export function sliceColumns(c: LineColumns, from: number, to: number = c.count, own = false): LineColumns {
  if (from === 0 && to === c.count && !own) return c
  const base = c.starts[from] as number
  const starts = c.starts.slice(from, to + 1)
  for (let i = 0; i < starts.length; i++) starts[i] = (starts[i] as number) - base
  const end = c.starts[to] as number
  return {
    firstLineNo: c.firstLineNo + from,
    count: to - from,
    text: typeof c.text === 'string' ? c.text.slice(base, end) : own ? copyBytes(c.text, base, end) : c.text.subarray(base, end),
    starts,
    offsets: c.offsets.slice(from, to),
    byteLengths: c.byteLengths.slice(from, to),
    truncated: c.truncated.slice(from, to)
  }
}

/** `a`'s lines followed by `b`'s (b's numbering follows a's). */
export function concatColumns(a: LineColumns, b: LineColumns): LineColumns {
  if (a.count === 0) return b
  if (b.count === 0) return a
  const shift = a.text.length
  const starts = new Int32Array(a.count + b.count + 1)
  starts.set(a.starts.subarray(0, a.count))
  for (let i = 0; i <= b.count; i++) starts[a.count + i] = (b.starts[i] as number) + shift
  const join = <T extends Float64Array | Uint8Array>(x: T, y: T): T => {
    const out = grownTo(x, x.length + y.length)
    out.set(y, x.length)
    return out
  }
  return {
    firstLineNo: a.firstLineNo,
    count: a.count + b.count,
    text: joinText(a.text, b.text),
    starts,
    offsets: join(a.offsets, b.offsets),
    byteLengths: join(a.byteLengths, b.byteLengths),
    truncated: join(a.truncated, b.truncated)
  }
}

/** `a` followed by `b`: bytes when both are (a copy of their own), else a string. */
function joinText(a: BatchText, b: BatchText): BatchText {
  if (typeof a === 'string' || typeof b === 'string') return asString(a) + asString(b)
  const out = Buffer.allocUnsafeSlow(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

function asString(text: BatchText): string {
  return typeof text === 'string' ? text : sliceText(text, 0, text.length)
}

/** Collects lines, one by one or a run at a time, into `LineColumns`. */
export class ColumnsBuilder {
  /** The batch's text so far: strings, or ASCII bytes (viewed, copied by `take`). */
  #pieces: BatchText[] = []
  #strings = 0
  #length = 0
  #count = 0
  #firstLineNo = 1
  #starts = new Int32Array(1024)
  #offsets = new Float64Array(1024)
  #byteLengths = new Float64Array(1024)
  #truncated = new Uint8Array(1024)

  get count(): number {
    return this.#count
  }

  /** One line; `lineNo` is used only for the first line of a batch. */
  add(lineNo: number, text: string, offset: number, byteLength: number, truncated: boolean): void {
    this.lineAt(lineNo, this.#length, offset, byteLength, truncated)
    this.#pieces.push(text, '\n')
    this.#strings += 2
    this.#length += text.length + 1
  }

  /**
   * Appends a run of whole lines at once, each followed by '\n': a decoded string, or ASCII bytes
   * (only viewed until `take`, which copies them). Returns where it starts in the batch's text;
   * its lines are then registered with `lineAt`.
   */
  addText(text: BatchText): number {
    const base = this.#length
    this.#pieces.push(text)
    if (typeof text === 'string') this.#strings++
    this.#length += text.length
    return base
  }

  /** A line starting at `start` in the batch's text (see `addText`). */
  lineAt(lineNo: number, start: number, offset: number, byteLength: number, truncated: boolean): void {
    const i = this.#count++
    if (i === 0) this.#firstLineNo = lineNo
    if (i + 1 >= this.#starts.length) this.#grow()
    this.#starts[i] = start
    this.#offsets[i] = offset
    this.#byteLengths[i] = byteLength
    this.#truncated[i] = truncated ? 1 : 0
  }

  /** The batch so far; the builder starts empty again. */
  take(): LineColumns {
    const n = this.#count
    const starts = this.#starts.slice(0, n + 1)
    starts[n] = this.#length
    const text = this.#joinPieces()
    const out: LineColumns = {
      firstLineNo: this.#firstLineNo,
      count: n,
      text,
      starts,
      offsets: this.#offsets.slice(0, n),
      byteLengths: this.#byteLengths.slice(0, n),
      truncated: this.#truncated.slice(0, n)
    }
    this.#pieces = []
    this.#strings = 0
    this.#length = 0
    this.#count = 0
    return out
  }

  /** The pieces as one text: bytes of its own when they are all bytes, else a string. */
  #joinPieces(): BatchText {
    const pieces = this.#pieces
    if (this.#strings === pieces.length) return pieces.length === 1 ? (pieces[0] as string) : pieces.join('')
    if (this.#strings > 0) return pieces.map(asString).join('')
    // One copy, into a buffer of its own: it is transferred to the pipeline as it is (and may
    // come back for a later batch, see `batchBytes`).
    const out = batchBytes(this.#length)
    let at = 0
    for (const piece of pieces as Uint8Array[]) {
      out.set(piece, at)
      at += piece.length
    }
    return out
  }

  #grow(): void {
    const n = this.#starts.length * 2
    this.#starts = grownTo(this.#starts, n)
    this.#offsets = grownTo(this.#offsets, n)
    this.#byteLengths = grownTo(this.#byteLengths, n)
    this.#truncated = grownTo(this.#truncated, n)
  }
}
