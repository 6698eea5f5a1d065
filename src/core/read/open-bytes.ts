import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip, createZstdDecompress } from 'node:zlib'
import { Transform } from 'node:stream'
import type { Readable } from 'node:stream'
import type { Compression } from './types.ts'

const CHUNK_BYTES = 1 << 20

/** Sniffs compression from magic bytes, not the file name: dumps are often renamed. */
export function sniffCompression(head: Uint8Array): Compression {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip'
  if (head[0] === 0x28 && head[1] === 0xb5 && head[2] === 0x2f && head[3] === 0xfd) return 'zstd'
  return 'none'
}

async function readHead(path: string): Promise<{ head: Uint8Array; size: number }> {
  const fh = await open(path, 'r')
  try {
    const buf = new Uint8Array(4)
    const { bytesRead } = await fh.read(buf, 0, 4, 0)
    return { head: buf.subarray(0, bytesRead), size: (await fh.stat()).size }
  } finally {
    await fh.close()
  }
}

export interface OpenedBytes {
  readonly stream: Readable
  readonly compression: Compression
  /** The file's size on disk when opened (a plain file read short of it shrank meanwhile). */
  readonly size: number
  /** SHA-256 of the file as stored (compressed bytes for a .gz), once read to its end; else null. */
  readonly sha256: () => string | null
}

/**
 * Opens a file as a stream of decompressed bytes. With `hash`, the bytes are hashed as they are
 * read, so a source is read once, not a second time for its hash.
 */
export async function openBytes(path: string, options: { hash?: boolean } = {}): Promise<OpenedBytes> {
  const { head, size } = await readHead(path)
  const compression = sniffCompression(head)
  let raw: Readable = createReadStream(path, { highWaterMark: CHUNK_BYTES })
  const hashed = options.hash === true ? hashing(raw) : null
  if (hashed) raw = hashed.stream
  const sha256 = hashed ? hashed.sha256 : () => null
  if (compression === 'none') return { stream: raw, compression, size, sha256 }
  const inflate = compression === 'gzip' ? createGunzip({ chunkSize: CHUNK_BYTES }) : createZstdDecompress({ chunkSize: CHUNK_BYTES })
  raw.on('error', (err) => inflate.destroy(err))
  return { stream: raw.pipe(inflate), compression, size, sha256 }
}

/** `raw`'s bytes passed on unchanged, hashed on the way. */
function hashing(raw: Readable): { stream: Readable; sha256: () => string | null } {
  const digest = createHash('sha256')
  let hex: string | null = null
  let ended = false
  const tap = new Transform({
    highWaterMark: CHUNK_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      digest.update(chunk)
      done(null, chunk)
    },
    flush(done) {
      ended = true
      done()
    }
  })
  raw.on('error', (err) => tap.destroy(err))
  raw.pipe(tap)
  return { stream: tap, sha256: () => (ended ? (hex ??= digest.digest('hex')) : null) }
}
