import { openBytes } from './open-bytes.ts'
import { LineSplitter } from './line-splitter.ts'
import { linesOf } from './line-columns.ts'
import type { LineColumns } from './line-columns.ts'
import type { Compression, Line, TextEncoding } from './types.ts'

export interface ReadOptions {
  readonly maxLineBytes?: number
  readonly signal?: AbortSignal
  /**
   * Input that ends early (see `ReadProgress.cutShort`): by default every line before the break
   * is delivered and then an error says why; `end` ends quietly instead, leaving the reason in
   * the progress (the ingest keeps such a source as `partial`).
   */
  readonly cutShort?: 'throw' | 'end' | undefined
  /** Hash the file as it is read (see `ReadProgress.sha256`). */
  readonly hash?: boolean | undefined
}

export interface ReadProgress {
  compression: Compression
  encoding: TextEncoding
  /** Decompressed bytes consumed so far. */
  bytes: number
  /**
   * Why the input ended before its end (a cut-off or damaged compressed stream, a file that
   * shrank while it was read); the lines before that point were all delivered.
   */
  cutShort?: string | undefined
  /** SHA-256 of the file as stored, once it was read to its end with `hash` asked for. */
  sha256?: string | null | undefined
}

/**
 * Streams a log file as batches of lines (one batch per read chunk, empty when the chunk ended no
 * line): per-line async iteration costs more than the parsing itself. Memory stays bounded by the
 * chunk size and the line cap.
 */
export async function* readLineBatches(path: string, options: ReadOptions = {}, progress?: ReadProgress): AsyncGenerator<Line[]> {
  for await (const columns of readLineColumns(path, options, progress)) yield linesOf(columns)
}

/** `readLineBatches`, each batch as columns (see line-columns.ts). */
export async function* readLineColumns(path: string, options: ReadOptions = {}, progress?: ReadProgress): AsyncGenerator<LineColumns> {
  const { chunks, compression, size, sha256, close } = await openBytes(path, { hash: options.hash })
  const splitter = new LineSplitter(options.maxLineBytes === undefined ? {} : { maxLineBytes: options.maxLineBytes })
  if (progress) progress.compression = compression
  let bytes = 0
  let cutShort: string | undefined
  try {
    try {
      for await (const chunk of chunks) {
        options.signal?.throwIfAborted()
        const lines = splitter.pushColumns(chunk)
        bytes += chunk.length
        if (progress) {
          progress.bytes = bytes
          progress.encoding = splitter.encoding
        }
        // Empty too: inside a giant line (a sparse file's hole) progress still moves.
        yield lines
      }
    } catch (error) {
      // A broken compressed stream ends the input; what came out before the break still counts.
      if (!isDecompressionError(error)) throw error
      cutShort = `the ${compression} data is damaged or cut off after ${bytes.toLocaleString('en-US')} bytes (${decompressionReason(error)}); the lines before that were read`
    }
    if (cutShort === undefined && compression === 'none' && bytes < size) {
      cutShort = `the file shrank while it was read: ${bytes.toLocaleString('en-US')} of ${size.toLocaleString('en-US')} bytes were there`
    }
    if (progress && cutShort !== undefined) progress.cutShort = cutShort
    if (progress) progress.sha256 = sha256()
    const last = splitter.endColumns()
    if (last.count > 0) yield last
    if (cutShort !== undefined && options.cutShort !== 'end') throw new Error(`${path}: ${cutShort}`)
  } finally {
    close()
  }
}

function isDecompressionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('Z_') || code.startsWith('ZSTD_') || code === 'ERR_ZSTD_INVALID_PARAM')
}

function decompressionReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message === 'unexpected end of file' ? 'it ends mid-stream' : message
}

/** Splits an in-memory buffer; handy for tests and small inputs. */
export function splitBuffer(bytes: Buffer, maxLineBytes?: number): Line[] {
  const splitter = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes })
  return [...splitter.push(bytes), ...splitter.end()]
}
