/**
 * Packing of a block's per-line columns into one blob. Fixed-width little-endian columns laid
 * end to end (offsets f64, ts f64, template i32, session i32, level u8, flags u8): decoding is a
 * few typed-array copies, with no per-line parsing.
 */
export interface BlockColumns {
  /** Byte offset of each line in the (decompressed) source. */
  offsets: Float64Array
  /** Epoch ms, NaN when the line has no timestamp of its own. */
  ts: Float64Array
  /** Template id as assigned by the miner (resolve through the templates table). */
  templates: Int32Array
  /** Session id, -1 for none. */
  sessions: Int32Array
  /** Canonical level code (see src/shared/levels.ts). */
  levels: Uint8Array
  /** Structural bits, see `lineFlag`. */
  flags: Uint8Array
}

export const lineFlag = {
  /** A continuation line (stack trace, indented) grouped under the record before it. */
  continuation: 1,
  /** The stored text was cut for display; the source line is longer. */
  truncated: 2,
  /** The header did not fit the detected layout. */
  unparsed: 4
} as const

const bytesPerLine = 8 + 8 + 4 + 4 + 1 + 1

export function allocateColumns(capacity: number): BlockColumns {
  return {
    offsets: new Float64Array(capacity),
    ts: new Float64Array(capacity),
    templates: new Int32Array(capacity),
    sessions: new Int32Array(capacity),
    levels: new Uint8Array(capacity),
    flags: new Uint8Array(capacity)
  }
}

export function encodeColumns(columns: BlockColumns, count: number): Buffer {
  const out = Buffer.allocUnsafe(count * bytesPerLine)
  let at = 0
  for (const column of [columns.offsets, columns.ts, columns.templates, columns.sessions, columns.levels, columns.flags]) {
    const bytes = new Uint8Array(column.buffer, column.byteOffset, count * column.BYTES_PER_ELEMENT)
    out.set(bytes, at)
    at += bytes.byteLength
  }
  return out
}

/**
 * A block's scores blob as floats: a view where it lies aligned (better-sqlite3 gives each blob
 * its own buffer), else a copy.
 */
export function decodeScores(blob: Uint8Array): Float32Array {
  return blob.byteOffset % 4 === 0 ? new Float32Array(blob.buffer, blob.byteOffset, blob.byteLength >>> 2) : new Float32Array(new Uint8Array(blob).buffer)
}

export function decodeColumns(blob: Uint8Array, count: number): BlockColumns {
  if (blob.byteLength !== count * bytesPerLine) {
    throw new Error(`block columns hold ${blob.byteLength} bytes, expected ${count * bytesPerLine}`)
  }
  // Views straight onto the blob when its columns land aligned (better-sqlite3 gives each blob
  // its own buffer), else a copy into a fresh, aligned buffer.
  const aligned = blob.byteOffset % 8 === 0
  const copy = aligned ? blob.buffer : new Uint8Array(blob).buffer
  let at = aligned ? blob.byteOffset : 0
  const take = <T>(make: (buffer: ArrayBufferLike, offset: number, length: number) => T, width: number): T => {
    const view = make(copy, at, count)
    at += count * width
    return view
  }
  return {
    offsets: take((b, o, n) => new Float64Array(b, o, n), 8),
    ts: take((b, o, n) => new Float64Array(b, o, n), 8),
    templates: take((b, o, n) => new Int32Array(b, o, n), 4),
    sessions: take((b, o, n) => new Int32Array(b, o, n), 4),
    levels: take((b, o, n) => new Uint8Array(b, o, n), 1),
    flags: take((b, o, n) => new Uint8Array(b, o, n), 1)
  }
}

/** A block's text is its lines joined by '\n' (lines never contain one: the reader splits on it). */
export function decodeText(blob: Uint8Array): string[] {
  return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('utf8').split('\n')
}
