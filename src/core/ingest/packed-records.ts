/**
 * Records packed for a trip between threads: a batch's lines joined into one string plus typed
 * arrays, instead of an object per line (which structured cloning would copy one by one). The
 * packing side reads, groups, detects and splits headers; the other side only slices the joined
 * string (cheap substrings) to mine each record's content and store each line's text.
 */
import type { FormatSpec } from '../format/index.ts'
import { openRecordStream, sampleBytes } from '../parse/index.ts'
import type { RecordStreamOptions } from '../parse/index.ts'
import { lineFlag } from '../case/block-codec.ts'
import { normalizeLevel } from '../../shared/levels.ts'
import { detectSessionKey, firstSessionId, keySampleLines, sessionKeyFromSnapshot, sessionKeyToSnapshot } from '../model/sessions/session-key.ts'
import type { SessionKey, SessionKeySnapshot } from '../model/sessions/session-key.ts'

export interface PackedLayout {
  readonly spec: FormatSpec
  readonly description: string
  readonly encoding: string
  readonly compression: string
  /** The pattern whose first id on a record's head line is its session; null: none. */
  readonly sessionKey: SessionKeySnapshot | null
}

export interface PackedBatch {
  /** Line number of the batch's first line. */
  readonly firstLine: number
  /** The lines joined by '\n'. */
  readonly text: string
  /** Start of each line in `text`, plus one past the end (length lines + 1). */
  readonly lineStarts: Int32Array
  /** Byte offset of each line in the (decompressed) source. */
  readonly offsets: Float64Array
  /** Per line: continuation, truncated, unparsed (see `lineFlag`). */
  readonly flags: Uint8Array
  /** Per record: its number of lines (head + continuation). */
  readonly recordLines: Int32Array
  /** Per record: its content (the message after the header) as [start, end) in `text`; start -1: see `contents`. */
  readonly contentStart: Int32Array
  readonly contentEnd: Int32Array
  /** Contents that are not a slice of the head line (rare), by record index. */
  readonly contents: Record<number, string>
  /** Per record: its session id (the key's first id on the head line) as [start, end) in `text`; start -1: none. */
  readonly sessionStart: Int32Array
  readonly sessionEnd: Int32Array
  /** Per record: epoch ms or NaN. */
  readonly ts: Float64Array
  /** Per record: canonical level code. */
  readonly levels: Uint8Array
  /** Input bytes consumed when the batch was cut (for progress). */
  readonly bytesRead: number
}

export interface SourceEnd {
  readonly bytes: number
  readonly encoding: string
  readonly compression: string
  /** Why the input ended early (see ReadProgress.cutShort); the source is then `partial`. */
  readonly cutShort?: string | undefined
  /** CPU time of the thread that read the source, when it was not the pipeline's own (ms). */
  readonly readerCpuMs?: number | null | undefined
}

export interface PackedSource {
  readonly layout: PackedLayout
  readonly batches: AsyncIterable<PackedBatch>
  /** Final input position and encoding, valid once `batches` is exhausted. */
  readonly end: () => SourceEnd
}

export interface PackOptions extends RecordStreamOptions {
  /**
   * Drop records that end at or before this line (a resume: the case and the restored miner
   * already hold them); they are still read and grouped, but not split or packed. Until the
   * reader can start at a byte offset, this is what keeps a resume cheap.
   */
  readonly skipThrough?: number | undefined
  /**
   * How records are tied into sessions: a key (a model's, the user's, or the one a resumed
   * ingest settled on), null for none, or undefined to detect one from the first records.
   */
  readonly sessionKey?: SessionKeySnapshot | null | undefined
}

export async function openPackedSource(path: string, options: PackOptions): Promise<PackedSource> {
  const skipThrough = options.skipThrough ?? 0
  // By default a source that ends early keeps what was read; the ingest marks it `partial` (see SourceEnd).
  const stream = await openRecordStream(path, { ...options, cutShort: options.cutShort ?? 'end' })
  const splitter = stream.splitter
  const layoutKnown = splitter.spec.kind !== 'none'
  const progress = stream.progress
  const source = stream.batches[Symbol.asyncIterator]()
  // Batches read ahead to detect the session key: packed first, then the rest of the stream.
  const ahead: Awaited<ReturnType<typeof source.next>>[] = []
  let key: SessionKey | null
  if (options.sessionKey !== undefined) key = options.sessionKey && sessionKeyFromSnapshot(options.sessionKey)
  else {
    const sample: string[] = []
    while (sample.length < keySampleLines && progress.bytes < sampleBytes) {
      const next = await source.next()
      ahead.push(next)
      if (next.done === true) break
      for (const record of next.value) if (sample.length < keySampleLines) sample.push(record.head.text)
    }
    key = detectSessionKey(sample)
  }
  async function* pack(): AsyncGenerator<PackedBatch> {
    try {
      yield* packAll()
    } finally {
      await source.return?.()
    }
  }
  async function* packAll(): AsyncGenerator<PackedBatch> {
    for (;;) {
      const next = ahead.shift() ?? (await source.next())
      if (next.done === true) break
      const all = next.value
      const records = skipThrough > 0 ? all.filter((r) => r.head.lineNo + r.continuation.length > skipThrough) : all
      const head = records[0]?.head
      if (!head) {
        // Nothing to pack, but the position moved: an empty batch keeps progress flowing.
        yield emptyBatch(progress.bytes)
        continue
      }
      let lines = 0
      for (const r of records) lines += 1 + r.continuation.length
      const texts: string[] = new Array<string>(lines)
      const lineStarts = new Int32Array(lines + 1)
      const offsets = new Float64Array(lines)
      const flags = new Uint8Array(lines)
      const n = records.length
      const recordLines = new Int32Array(n)
      const contentStart = new Int32Array(n)
      const contentEnd = new Int32Array(n)
      const ts = new Float64Array(n)
      const levels = new Uint8Array(n)
      const sessionStart = new Int32Array(n).fill(-1)
      const sessionEnd = new Int32Array(n)
      const contents: Record<number, string> = {}
      let line = 0
      let at = 0
      for (let r = 0; r < n; r++) {
        const record = records[r] as (typeof records)[number]
        const text = record.head.text
        const split = splitter.split(text)
        ts[r] = split.fields.ts ?? Number.NaN
        levels[r] = normalizeLevel(split.fields.level)
        recordLines[r] = 1 + record.continuation.length
        // The content is the head's tail with spaces trimmed; check rather than assume.
        let end = text.length
        while (end > 0 && text.charCodeAt(end - 1) <= 32) end--
        const start = end - split.content.length
        if (start >= 0 && text.startsWith(split.content, start)) {
          contentStart[r] = at + start
          contentEnd[r] = at + end
        } else {
          contentStart[r] = -1
          contents[r] = split.content
        }
        if (key !== null) {
          const found = firstSessionId(key, text)
          if (found !== null) {
            sessionStart[r] = at + found.start
            sessionEnd[r] = at + found.start + found.id.length
          }
        }
        let f = record.head.truncated ? lineFlag.truncated : 0
        if (layoutKnown && !split.matched) f |= lineFlag.unparsed
        flags[line] = f
        offsets[line] = record.head.offset
        lineStarts[line] = at
        texts[line++] = text
        at += text.length + 1
        for (const c of record.continuation) {
          flags[line] = c.truncated ? lineFlag.continuation | lineFlag.truncated : lineFlag.continuation
          offsets[line] = c.offset
          lineStarts[line] = at
          texts[line++] = c.text
          at += c.text.length + 1
        }
      }
      lineStarts[lines] = at
      yield { firstLine: head.lineNo, text: texts.join('\n'), lineStarts, offsets, flags, recordLines, contentStart, contentEnd, contents, sessionStart, sessionEnd, ts, levels, bytesRead: progress.bytes }
    }
  }
  return {
    layout: {
      spec: splitter.spec,
      description: splitter.description,
      encoding: progress.encoding,
      compression: progress.compression,
      sessionKey: key && sessionKeyToSnapshot(key)
    },
    batches: pack(),
    end: () => ({ bytes: progress.bytes, encoding: progress.encoding, compression: progress.compression, cutShort: progress.cutShort })
  }
}

/** Record `r`'s content (the message after its header). */
export function packedContent(batch: PackedBatch, r: number): string {
  const start = batch.contentStart[r] as number
  return start >= 0 ? batch.text.slice(start, batch.contentEnd[r]) : (batch.contents[r] ?? '')
}

/** The text of the batch's line `i` (0 = its first line). */
export function packedLine(batch: PackedBatch, i: number): string {
  return batch.text.slice(batch.lineStarts[i], (batch.lineStarts[i + 1] as number) - 1)
}

function emptyBatch(bytesRead: number): PackedBatch {
  return {
    firstLine: 0,
    text: '',
    lineStarts: new Int32Array(1),
    offsets: new Float64Array(0),
    flags: new Uint8Array(0),
    recordLines: new Int32Array(0),
    contentStart: new Int32Array(0),
    contentEnd: new Int32Array(0),
    contents: {},
    sessionStart: new Int32Array(0),
    sessionEnd: new Int32Array(0),
    ts: new Float64Array(0),
    levels: new Uint8Array(0),
    bytesRead
  }
}

/** The typed arrays of a batch, to transfer rather than copy. */
export function packedTransferables(batch: PackedBatch): ArrayBuffer[] {
  return [batch.lineStarts, batch.offsets, batch.flags, batch.recordLines, batch.contentStart, batch.contentEnd, batch.sessionStart, batch.sessionEnd, batch.ts, batch.levels].map(
    (a) => a.buffer as ArrayBuffer
  )
}
