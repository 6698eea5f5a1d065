import { stat } from 'node:fs/promises'
import { columnLine, groupColumns, looksLikeContinuation, looksLikeFrame, readLineColumns, recordsOf, ungroupedColumns } from '../read/index.ts'
import type { LineColumns, LogRecord, ReadProgress, RecordColumns } from '../read/index.ts'
import { createLineSplitter, detectFormat } from '../format/index.ts'
import type { FormatSpec, LineSplitterLike } from '../format/index.ts'

export interface RecordStreamOptions {
  /** User format string (loghub style); skips detection. */
  readonly format?: string | undefined
  /** A layout found earlier (e.g. by a first pass); skips detection. */
  readonly spec?: FormatSpec | undefined
  /** Group stack traces and indented continuations under their first line (default true). */
  readonly multiline?: boolean | undefined
  /** Lines read before detecting the layout. */
  readonly sampleLines?: number | undefined
  /** Year for timestamps that carry none (syslog, logcat); defaults to the file's mtime year. */
  readonly defaultYear?: number | undefined
  readonly maxLineBytes?: number | undefined
  readonly signal?: AbortSignal | undefined
  /** What input that ends early does (see ReadOptions.cutShort). */
  readonly cutShort?: 'throw' | 'end' | undefined
  /** Hash the file as it is read (see ReadProgress.sha256). */
  readonly hash?: boolean | undefined
}

/** Most input read ahead to detect a layout (or a session key). */
export const sampleBytes = 16 << 20

export interface RecordStream {
  readonly splitter: LineSplitterLike
  readonly progress: ReadProgress
  readonly batches: AsyncIterable<LogRecord[]>
}

/** `RecordStream` with each batch as columns (see line-columns.ts): what the ingest packs. */
export interface RecordColumnStream {
  readonly splitter: LineSplitterLike
  readonly progress: ReadProgress
  readonly batches: AsyncIterable<RecordColumns>
}

const DEFAULT_SAMPLE_LINES = 2000

async function* replay<T>(head: T[], rest: AsyncIterator<T>): AsyncGenerator<T> {
  for (const b of head) yield b
  for (;;) {
    const next = await rest.next()
    if (next.done === true) return
    yield next.value
  }
}

/**
 * Opens a file as a stream of record batches, having detected (or compiled) its layout from the
 * first lines. The sample is read once and replayed, so the file is still read a single time.
 */
export async function openRecordStream(path: string, options: RecordStreamOptions = {}): Promise<RecordStream> {
  const stream = await openRecordColumns(path, options)
  return { ...stream, batches: asRecords(stream.batches) }
}

async function* asRecords(batches: AsyncIterable<RecordColumns>): AsyncGenerator<LogRecord[]> {
  for await (const batch of batches) yield recordsOf(batch)
}

/** `openRecordStream`, batches as columns. */
export async function openRecordColumns(path: string, options: RecordStreamOptions = {}): Promise<RecordColumnStream> {
  const progress: ReadProgress = { compression: 'none', encoding: 'utf8', bytes: 0 }
  const lines = readLineColumns(
    path,
    {
      ...(options.maxLineBytes !== undefined && { maxLineBytes: options.maxLineBytes }),
      ...(options.signal && { signal: options.signal }),
      cutShort: options.cutShort,
      hash: options.hash
    },
    progress
  )
  const iterator = lines[Symbol.asyncIterator]()
  // Syslog-style stamps carry no year: the file's own modification year is the best guess
  // (a December log read in January stays in December's year).
  const year = options.defaultYear ?? (await stat(path)).mtime.getUTCFullYear()
  const head: LineColumns[] = []
  let spec: FormatSpec
  if (options.format !== undefined) spec = { kind: 'pattern', format: options.format }
  else if (options.spec !== undefined) spec = options.spec
  else {
    const wanted = options.sampleLines ?? DEFAULT_SAMPLE_LINES
    const sample: string[] = []
    // Bounded in bytes too: a file that opens with a giant line (a sparse file's hole) must not be read whole first.
    while (sample.length < wanted && progress.bytes < sampleBytes) {
      const next = await iterator.next()
      if (next.done === true) break
      head.push(next.value)
      for (let i = 0; i < next.value.count && sample.length < wanted; i++) {
        const text = columnLine(next.value, i)
        if (!looksLikeContinuation(text)) sample.push(text)
      }
    }
    spec = detectFormat(sample, year)
  }
  const splitter = createLineSplitter(spec, year)
  const source = replay(head, iterator)
  // With a header layout, a line continues a record only if it also lacks a header; without
  // one, only indentation and stack frames say so.
  const isContinuation =
    spec.kind === 'none' ? looksLikeFrame : (text: string) => looksLikeContinuation(text) && !splitter.startsRecord(text)
  const batches = options.multiline === false ? ungroupedColumns(source) : groupColumns(source, isContinuation)
  return { splitter, progress, batches }
}
