import { openBytes } from './open-bytes.ts'
import { LineSplitter } from './line-splitter.ts'
import type { Compression, Line, TextEncoding } from './types.ts'

export interface ReadOptions {
  readonly maxLineBytes?: number
  readonly signal?: AbortSignal
}

export interface ReadProgress {
  compression: Compression
  encoding: TextEncoding
  /** Decompressed bytes consumed so far. */
  bytes: number
}

/**
 * Streams a log file as batches of lines (one batch per read chunk): per-line async iteration
 * costs more than the parsing itself. Memory stays bounded by the chunk size and the line cap.
 */
export async function* readLineBatches(
  path: string,
  options: ReadOptions = {},
  progress?: ReadProgress
): AsyncGenerator<Line[]> {
  const { stream, compression } = await openBytes(path)
  const splitter = new LineSplitter(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes })
  if (progress) progress.compression = compression
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      options.signal?.throwIfAborted()
      const lines = splitter.push(chunk)
      if (progress) {
        progress.bytes += chunk.length
        progress.encoding = splitter.encoding
      }
      if (lines.length > 0) yield lines
    }
    const last = splitter.end()
    if (last.length > 0) yield last
  } finally {
    stream.destroy()
  }
}

/** Splits an in-memory buffer; handy for tests and small inputs. */
export function splitBuffer(bytes: Buffer, maxLineBytes?: number): Line[] {
  const splitter = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes })
  return [...splitter.push(bytes), ...splitter.end()]
}
