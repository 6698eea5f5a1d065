import { isAscii } from 'node:buffer'
import { guessUtf16 } from './sniff-text.ts'
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

  constructor(options: SplitterOptions = {}) {
    this.#maxBytes = Math.max(16, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES)
  }

  get encoding(): TextEncoding {
    return this.#encoding ?? 'utf8'
  }

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Buffer): Line[] {
    const out: Line[] = []
    if (chunk.length === 0) return out
    if (this.#encoding === null) {
      if (this.#held !== null) chunk = Buffer.concat([this.#held, chunk])
      this.#held = null
      // A first chunk too short to tell whether it starts with a BOM waits for the next.
      if (mayStartBom(chunk)) {
        this.#held = chunk
        return out
      }
      chunk = this.#detect(chunk)
    }
    if (this.#encoding === 'utf8') this.#pushUtf8(chunk, out)
    else this.#pushUtf16(chunk, out)
    return out
  }

  /** Flushes the last line when the stream does not end with a terminator. */
  end(): Line[] {
    const out: Line[] = []
    if (this.#held !== null) {
      const held = this.#detect(this.#held)
      this.#held = null
      if (this.#encoding === 'utf8') this.#pushUtf8(held, out)
      else this.#pushUtf16(held, out)
    }
    if (this.#oddByte !== null) {
      // A dangling half code unit: counted, and shown as a replacement character.
      this.#pendingTotal += 1
      this.#danglingByte = true
      this.#oddByte = null
    }
    if (this.#pendingTotal > 0) this.#emit(out, Buffer.alloc(0), 0, 0)
    return out
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

  #pushUtf8(chunk: Buffer, out: Line[]): void {
    // Mostly ASCII logs: a chunk checked once decodes its lines as latin1, which for ASCII is the
    // same text without UTF-8 validation (measured: a fifth less decoding time).
    this.#ascii = isAscii(chunk)
    let start = 0
    for (;;) {
      const nl = chunk.indexOf(10, start)
      if (nl < 0) break
      this.#emit(out, chunk, start, nl)
      this.#pos += nl + 1 - start
      this.#pendingStart = this.#pos
      start = nl + 1
    }
    if (start < chunk.length) {
      this.#append(chunk.subarray(start))
      this.#pos += chunk.length - start
    }
  }

  #pushUtf16(chunk: Buffer, out: Line[]): void {
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
        this.#emit(out, buf, start, i)
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
    this.#pendingTotal += part.length
    const room = this.#maxBytes + 4 - this.#pendingKept
    if (room <= 0) return
    // Copy: the chunk buffer is reused by the stream after we return.
    const kept = Buffer.from(part.subarray(0, room))
    this.#pendingParts.push(kept)
    this.#pendingKept += kept.length
  }

  /** Emits pending bytes + chunk[start, end) as one line. */
  #emit(out: Line[], chunk: Buffer, start: number, end: number): void {
    const unit = this.#encoding === 'utf8' ? 1 : 2
    if (unit === 1 && this.#pendingTotal === 0 && end - start <= this.#maxBytes) {
      // Common case: a whole UTF-8 line inside one chunk, decoded without an intermediate view.
      const cut = end > start && chunk[end - 1] === 13 ? end - 1 : end
      const text = chunk.toString(this.#ascii ? 'latin1' : 'utf8', start, cut)
      out.push({ lineNo: ++this.#lineNo, offset: this.#pendingStart, text, byteLength: cut - start, truncated: false })
      return
    }
    let bytes: Buffer
    let total: number
    if (this.#pendingParts.length === 0 && this.#pendingTotal === 0) {
      bytes = chunk.subarray(start, end)
      total = end - start
    } else {
      this.#append(chunk.subarray(start, end))
      bytes = this.#pendingParts.length === 1 ? (this.#pendingParts[0] as Buffer) : Buffer.concat(this.#pendingParts)
      total = this.#pendingTotal
      this.#pendingParts = []
      this.#pendingKept = 0
      this.#pendingTotal = 0
    }
    // Strip the CR of CRLF.
    let len = Math.min(bytes.length, total)
    if (len === total && len >= unit && bytes[len - unit] === 13 && (unit === 1 || bytes[len - 1] === 0)) {
      len -= unit
      total -= unit
    }
    const truncated = total > this.#maxBytes
    let text: string
    if (truncated) {
      const keep = this.#maxBytes - (this.#maxBytes % unit)
      text = bytes.toString(unit === 1 ? 'utf8' : 'utf16le', 0, keep) + truncationMarker(total)
    } else {
      text = bytes.toString(unit === 1 ? 'utf8' : 'utf16le', 0, len - (len % unit))
      if (this.#danglingByte) text += '\uFFFD'
    }
    out.push({ lineNo: ++this.#lineNo, offset: this.#pendingStart, text, byteLength: total, truncated })
  }
}

/** Whether `chunk` is a proper prefix of a byte-order mark (so more bytes are needed to tell). */
function mayStartBom(chunk: Buffer): boolean {
  if (chunk.length >= 3) return false
  const utf8 = [0xef, 0xbb, 0xbf].slice(0, chunk.length).every((b, i) => chunk[i] === b)
  return utf8 || (chunk.length === 1 && (chunk[0] === 0xff || chunk[0] === 0xfe))
}
