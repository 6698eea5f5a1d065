import { isAscii } from 'node:buffer'
import { grownTo } from '../../shared/typed-array.ts'
import { guessUtf16 } from './sniff-text.ts'
import { ColumnsBuilder, linesOf } from './line-columns.ts'
import type { LineColumns } from './line-columns.ts'
import type { Line, TextEncoding } from './types.ts'

export const DEFAULT_MAX_LINE_BYTES = 64 * 1024

/** Marker appended to lines cut for display; the full length stays in `byteLength`. */
export function truncationMarker(byteLength: number): string {
  return ` …[truncated, ${byteLength} bytes]`
}

export interface SplitterOptions {
  readonly maxLineBytes?: number
}

/**
 * Push-style line splitter over raw bytes. Detects the encoding from a BOM on the first chunk (or,
 * without one, UTF-16 from its zero bytes), keeps at most `maxLineBytes` of a pending line
 * (bounded memory on giant lines) and never throws on bad bytes: invalid UTF-8 decodes to U+FFFD.
 */
export class LineSplitter {
  readonly #maxBytes: number
  #encoding: TextEncoding | null = null
  /** The first bytes, held while they may still be the start of a byte-order mark. */
  #held: Buffer | null = null
  #lineNo = 0
  /** Byte offset of the next unread byte in the stream. */
  #pos = 0
  #pendingStart = 0
  #pendingParts: Buffer[] = []
  #pendingKept = 0
  #pendingTotal = 0
  /** UTF-16: odd byte carried to the next chunk. */
  #oddByte: number | null = null
  #danglingByte = false
  /** Whether the chunk being split is all ASCII. */
  #ascii = false
  readonly #out = new ColumnsBuilder()
  #work = Buffer.alloc(0)
  /** Where a run's lines end (see `#lineEnds`), reused from run to run. */
  #ends: Int32Array = new Int32Array(4096)
  /** The last two bytes appended to the pending line (see `#append`). */
  #lastTwo = 0

  constructor(options: SplitterOptions = {}) {
    this.#maxBytes = Math.max(16, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES)
  }

  get encoding(): TextEncoding {
    return this.#encoding ?? 'utf8'
  }

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Buffer): Line[] {
    return linesOf(this.pushColumns(chunk))
  }

  /** Flushes the last line when the stream does not end with a terminator. */
  end(): Line[] {
    return linesOf(this.endColumns())
  }

  /** `push`, as columns (see line-columns.ts). */
  pushColumns(chunk: Buffer): LineColumns {
    const out = this.#out
    if (chunk.length === 0) return out.take()
    if (this.#encoding === null) {
      if (this.#held !== null) chunk = Buffer.concat([this.#held, chunk])
      this.#held = null
      // A first chunk too short to tell whether it starts with a BOM waits for the next.
      if (mayStartBom(chunk)) {
        // A copy: the chunk's memory is only lent (see open-bytes.ts).
        this.#held = Buffer.from(chunk)
        return out.take()
      }
      chunk = this.#detect(chunk)
    }
    if (this.#encoding === 'utf8') this.#pushUtf8(chunk)
    else this.#pushUtf16(chunk)
    return out.take()
  }

  /** `end`, as columns. */
  endColumns(): LineColumns {
    if (this.#held !== null) {
      const held = this.#detect(this.#held)
      this.#held = null
      if (this.#encoding === 'utf8') this.#pushUtf8(held)
      else this.#pushUtf16(held)
    }
    if (this.#oddByte !== null) {
      // A dangling half code unit: counted, and shown as a replacement character.
      this.#pendingTotal += 1
      this.#danglingByte = true
      this.#oddByte = null
    }
    if (this.#pendingTotal > 0) this.#emit(Buffer.alloc(0), 0, 0)
    return this.#out.take()
  }

  #detect(chunk: Buffer): Buffer {
    // A chunk that might be the start of a BOM is held until it can tell (see `push`).
    if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
      this.#encoding = 'utf8'
      return this.#skip(chunk, 3)
    }
    if (chunk.length >= 2 && chunk[0] === 0xff && chunk[1] === 0xfe) {
      this.#encoding = 'utf16le'
      return this.#skip(chunk, 2)
    }
    if (chunk.length >= 2 && chunk[0] === 0xfe && chunk[1] === 0xff) {
      this.#encoding = 'utf16be'
      return this.#skip(chunk, 2)
    }
    // No mark, but a zero in every other byte: UTF-16 all the same (as some Windows tools write it).
    this.#encoding = guessUtf16(chunk) ?? 'utf8'
    return chunk
  }

  #skip(chunk: Buffer, n: number): Buffer {
    this.#pos += n
    this.#pendingStart = this.#pos
    return chunk.subarray(n)
  }

  #pushUtf8(chunk: Buffer): void {
    if (this.#pendingTotal > 0 && this.#pendingKept === this.#pendingTotal && chunk.includes(10)) {
      // The line begun in the last chunk is put before this one's bytes, to decode with them
      // in one run (joining the decoded strings instead copied every batch once more).
      const held = this.#pendingTotal
      chunk = this.#withPending(chunk)
      this.#pos -= held
      this.#pendingParts = []
      this.#pendingKept = this.#pendingTotal = 0
    }
    // Mostly ASCII logs: a chunk checked once is not decoded at all (its bytes are its text), and
    // its single lines decode as latin1, the same text without UTF-8 validation.
    this.#ascii = isAscii(chunk)
    let start = 0
    const last = chunk.lastIndexOf(10)
    // A line begun in an earlier chunk ends here first.
    if (last >= 0 && this.#pendingTotal > 0) start = this.#emitThrough(chunk, 0, chunk.indexOf(10))
    if (start <= last) this.#run(chunk, start, last + 1)
    start = Math.max(start, last + 1)
    if (start < chunk.length) {
      this.#append(chunk.subarray(start))
      this.#pos += chunk.length - start
    }
  }

  /** The pending bytes followed by `chunk`, in a buffer reused from chunk to chunk. */
  #withPending(chunk: Buffer): Buffer {
    const size = this.#pendingTotal + chunk.length
    if (this.#work.length < size) this.#work = Buffer.allocUnsafe(Math.max(size, this.#work.length * 2))
    let at = 0
    for (const part of this.#pendingParts) at += part.copy(this.#work, at)
    chunk.copy(this.#work, at)
    return this.#work.subarray(0, size)
  }

  /** Emits chunk[start, nl) (after any pending bytes) as a line; returns where the next begins. */
  #emitThrough(chunk: Buffer, start: number, nl: number): number {
    this.#emit(chunk, start, nl)
    this.#pos += nl + 1 - start
    this.#pendingStart = this.#pos
    return nl + 1
  }

  /**
   * Whole lines chunk[from, to) (`to` just past a '\n'), as one piece of the batch: its bytes when
   * ASCII, else decoded with one call. Lines with a CR or over the cap take the line-by-line
   * path, which strips and truncates them.
   */
  #run(chunk: Buffer, from: number, to: number): void {
    const cr = chunk.indexOf(13, from)
    // The line ends, found once: checked against the cap, then the lines (each search is a call
    // into Node: twice per line was 2 s of the reader's time at 10M lines).
    const lines = cr >= 0 && cr < to ? -1 : this.#lineEnds(chunk, from, to)
    if (lines < 0) {
      for (let start = from; start < to; ) start = this.#emitThrough(chunk, start, chunk.indexOf(10, start))
      return
    }
    const out = this.#out
    if (this.#ascii) {
      // ASCII stays bytes, viewed here and copied once into the batch (see line-columns.ts).
      const base = out.addText(chunk.subarray(from, to)) - from
      const ends = this.#ends
      let byte = from
      for (let k = 0; k < lines; k++) {
        const nl = ends[k] as number
        out.lineAt(++this.#lineNo, base + byte, this.#pos, nl - byte, false)
        this.#pos += nl + 1 - byte
        byte = nl + 1
      }
      this.#pendingStart = this.#pos
      return
    }
    const text = chunk.toString('utf8', from, to)
    const base = out.addText(text)
    let byte = from
    let at = 0
    for (let k = 0; at < text.length; k++) {
      const nl = text.indexOf('\n', at)
      // The same line's end among the bytes.
      const byteEnd = this.#ends[k] as number
      out.lineAt(++this.#lineNo, base + at, this.#pos, byteEnd - byte, false)
      this.#pos += byteEnd + 1 - byte
      byte = byteEnd + 1
      at = nl + 1
    }
    this.#pendingStart = this.#pos
  }

  /**
   * The '\n's of whole lines chunk[from, to) into `#ends`; returns how many, or -1 when a line is
   * over the cap.
   */
  #lineEnds(chunk: Buffer, from: number, to: number): number {
    let ends = this.#ends
    let count = 0
    for (let start = from; start < to; ) {
      const nl = chunk.indexOf(10, start)
      if (nl - start > this.#maxBytes) return -1
      if (count === ends.length) ends = this.#ends = grownTo(ends, count * 2)
      ends[count++] = nl
      start = nl + 1
    }
    return count
  }

  #pushUtf16(chunk: Buffer): void {
    // Normalise to whole little-endian code units so newline search is a 2-byte compare.
    let buf = chunk
    if (this.#oddByte !== null) {
      buf = Buffer.concat([Buffer.from([this.#oddByte]), chunk])
      this.#oddByte = null
      this.#pos -= 1
    }
    if (buf.length % 2 === 1) {
      this.#oddByte = buf[buf.length - 1] ?? 0
      buf = buf.subarray(0, buf.length - 1)
      this.#pos += 1
    }
    if (this.#encoding === 'utf16be') buf = Buffer.from(buf).swap16()
    let start = 0
    for (let i = 0; i < buf.length; i += 2) {
      if (buf[i] === 10 && buf[i + 1] === 0) {
        this.#emit(buf, start, i)
        this.#pos += i + 2 - start
        this.#pendingStart = this.#pos
        start = i + 2
      }
    }
    if (start < buf.length) {
      this.#append(buf.subarray(start))
      this.#pos += buf.length - start
    }
  }

  #append(part: Buffer): void {
    const n = part.length
    // The line's last two bytes, kept or not: they tell whether it ends with a CR.
    if (n >= 2) this.#lastTwo = ((part[n - 2] as number) << 8) | (part[n - 1] as number)
    else if (n === 1) this.#lastTwo = ((this.#lastTwo & 0xff) << 8) | (part[0] as number)
    this.#pendingTotal += n
    const room = this.#maxBytes + 4 - this.#pendingKept
    if (room <= 0) return
    // Copy: the chunk buffer is reused by the stream after we return.
    const kept = Buffer.from(part.subarray(0, room))
    this.#pendingParts.push(kept)
    this.#pendingKept += kept.length
  }

  /** Emits pending bytes + chunk[start, end) as one line. */
  #emit(chunk: Buffer, start: number, end: number): void {
    const out = this.#out
    const unit = this.#encoding === 'utf8' ? 1 : 2
    if (unit === 1 && this.#pendingTotal === 0 && end - start <= this.#maxBytes) {
      // Common case: a whole UTF-8 line inside one chunk, decoded without an intermediate view.
      const cut = end > start && chunk[end - 1] === 13 ? end - 1 : end
      const text = chunk.toString(this.#ascii ? 'latin1' : 'utf8', start, cut)
      out.add(++this.#lineNo, text, this.#pendingStart, cut - start, false)
      return
    }
    let bytes: Buffer
    let total: number
    let lastTwo: number
    if (this.#pendingParts.length === 0 && this.#pendingTotal === 0) {
      bytes = chunk.subarray(start, end)
      total = end - start
      lastTwo = (((chunk[end - 2] ?? 0) << 8) | (chunk[end - 1] ?? 0)) & (total >= 2 ? 0xffff : total === 1 ? 0xff : 0)
    } else {
      this.#append(chunk.subarray(start, end))
      bytes = this.#pendingParts.length === 1 ? (this.#pendingParts[0] as Buffer) : Buffer.concat(this.#pendingParts)
      total = this.#pendingTotal
      lastTwo = this.#lastTwo
      this.#pendingParts = []
      this.#pendingKept = 0
      this.#pendingTotal = 0
    }
    // Strip the CR of CRLF (also from a line over the cap: it is the terminator, not the line's).
    const cr = unit === 1 ? total >= 1 && (lastTwo & 0xff) === 13 : total >= 2 && lastTwo === 0x0d00
    if (cr && !this.#danglingByte) total -= unit
    const len = Math.min(bytes.length, total)
    const truncated = total > this.#maxBytes
    let text: string
    if (truncated) {
      const keep = this.#maxBytes - (this.#maxBytes % unit)
      text = bytes.toString(unit === 1 ? 'utf8' : 'utf16le', 0, keep) + truncationMarker(total)
    } else {
      text = bytes.toString(unit === 1 ? 'utf8' : 'utf16le', 0, len - (len % unit))
      if (this.#danglingByte) text += '\uFFFD'
    }
    out.add(++this.#lineNo, text, this.#pendingStart, total, truncated)
  }
}

/** Whether `chunk` is a proper prefix of a byte-order mark (so more bytes are needed to tell). */
function mayStartBom(chunk: Buffer): boolean {
  if (chunk.length >= 3) return false
  const utf8 = [0xef, 0xbb, 0xbf].slice(0, chunk.length).every((b, i) => chunk[i] === b)
  return utf8 || (chunk.length === 1 && (chunk[0] === 0xff || chunk[0] === 0xfe))
}
