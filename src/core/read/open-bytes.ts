import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createGunzip, createZstdDecompress } from 'node:zlib'
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

/**
 * Opens a file as a stream of decompressed bytes; `size` is the file's size on disk when opened
 * (a plain file read short of it shrank meanwhile).
 */
export async function openBytes(path: string): Promise<{ stream: Readable; compression: Compression; size: number }> {
  const { head, size } = await readHead(path)
  const compression = sniffCompression(head)
  const raw = createReadStream(path, { highWaterMark: CHUNK_BYTES })
  if (compression === 'none') return { stream: raw, compression, size }
  const inflate = compression === 'gzip' ? createGunzip({ chunkSize: CHUNK_BYTES }) : createZstdDecompress({ chunkSize: CHUNK_BYTES })
  raw.on('error', (err) => inflate.destroy(err))
  return { stream: raw.pipe(inflate), compression, size }
}
