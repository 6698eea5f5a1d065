/**
 * Records packed for a trip between threads: a batch's lines joined into one text plus typed
 * arrays, instead of an object per line (which structured cloning would copy one by one). The
 * packing side reads, groups, detects and splits headers; the other side only slices the joined
 * text to mine each record's content and copies it to store each line's text. The text travels
 * as bytes when it is ASCII, as nearly all logs are (see read/batch-text.ts).
 */
import type { FormatSpec, HeadScan } from '../format/index.ts'
import type { TemplateMiner } from '../mine/miner.ts'
import { nativeAddon } from '../platform/native-addon.ts'
import { openRecordColumns, sampleBytes } from '../parse/records.ts'
import type { RecordColumnStream } from '../parse/records.ts'
import { columnLine } from '../read/index.ts'
import { asciiBytes, sliceText, textTransferables } from '../read/batch-text.ts'
import type { BatchText } from '../read/batch-text.ts'
import type { RecordColumns } from '../read/index.ts'
import type { RecordStreamOptions } from '../parse/index.ts'
import { lineFlag } from '../case/block-codec.ts'
import { NativeHeads, newHeadColumns } from './native-heads.ts'
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
  /** The lines, each followed by '\n' (it may also hold lines before the batch's first: see `lineStarts`). */
  readonly text: BatchText
  /** Start of each line in `text`, plus one past the last line's '\n' (length lines + 1). */
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
  /**
   * Per record: its content's mask key, NaN where JavaScript must mask it; absent without the
   * native addon (see platform/native-addon.ts). Taken here, on the reader's core, off the miner's.
   */
  readonly keys?: Float64Array | undefined
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
  /** SHA-256 of the file as stored, when `hash` was asked for and the file was read to its end. */
  readonly sha256?: string | null | undefined
}

export interface PackedSource {
  readonly layout: PackedLayout
  readonly batches: AsyncIterable<PackedBatch>
  /** Final input position and encoding, valid once `batches` is exhausted. */
  readonly end: () => SourceEnd
  /**
   * Each batch's bytes came in a buffer of its own (from a reader thread): once the pipeline is
   * done with a batch, blocks of its lines can hand that buffer on as it is (see batch-buffers.ts).
   */
  readonly ownBuffers?: boolean | undefined
  /**
   * Sends buffers of batches that every thread is done with back to the reader, to hold later
   * batches' bytes (see read/batch-text.ts's `batchBytes`); absent when there is no reader thread.
   */
  readonly recycle?: ((buffers: ArrayBuffer[]) => void) | undefined
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

/** `opened`: the source's stream opened already, with these options (see reader-side.ts's prefetch). */
export async function openPackedSource(path: string, options: PackOptions, opened?: RecordColumnStream): Promise<PackedSource> {
  const skipThrough = options.skipThrough ?? 0
  // By default a source that ends early keeps what was read; the ingest marks it `partial` (see SourceEnd).
  const stream = opened ?? (await openRecordColumns(path, { ...options, cutShort: options.cutShort ?? 'end' }))
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
      const batch = next.value
      for (let r = 0, line = 0; r < batch.recordLines.length && sample.length < keySampleLines; line += batch.recordLines[r++] as number) {
        sample.push(columnLine(batch, line))
      }
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
      const packed = packBatch(next.value)
      // Nothing to pack, but the position moved: an empty batch keeps progress flowing.
      yield packed ?? emptyBatch(progress.bytes)
    }
  }
  const scanHead = splitter.scanHead
  const scan: HeadScan = { ts: Number.NaN, level: 0, contentStart: 0, contentEnd: 0 }
  const native = NativeHeads.for(splitter, key)
  /** The batch's records past `skipThrough`, packed; null when none is left. */
  const packBatch = (batch: RecordColumns): PackedBatch | null => {
    const { text, starts, recordLines: sizes } = batch
    // Records the case already holds (a resume) are dropped from the front.
    let first = 0
    let line = 0
    while (first < sizes.length && batch.firstLineNo + line + (sizes[first] as number) - 1 <= skipThrough) line += sizes[first++] as number
    const n = sizes.length - first
    if (n === 0) return null
    const firstLine = line
    const lines = batch.count - firstLine
    const lineStarts = starts.slice(firstLine)
    const recordLines = sizes.slice(first)
    const heads = newHeadColumns(n)
    const { ts, levels, contentStart, contentEnd, matched, sessionStart, sessionEnd } = heads
    const contents: Record<number, string> = {}
    /** Record `r`'s header, its head being line `i`, in JavaScript. */
    const scanRecord = (r: number, i: number): void => {
      const at = lineStarts[i] as number
      const lineEnd = (lineStarts[i + 1] as number) - 1
      if (scanHead) {
        // In a string, where it stands; from bytes, as a string of its own (the same scan, shifted).
        const own = typeof text === 'string' ? null : sliceText(text, at, lineEnd)
        const shift = own === null ? 0 : at
        matched[r] = (own === null ? scanHead(text as string, at, lineEnd, scan) : scanHead(own, 0, own.length, scan)) ? 1 : 0
        ts[r] = scan.ts
        levels[r] = scan.level
        contentStart[r] = scan.contentStart + shift
        contentEnd[r] = scan.contentEnd + shift
        return
      }
      const head = sliceText(text, at, lineEnd)
      const split = splitter.split(head)
      matched[r] = split.matched ? 1 : 0
      ts[r] = split.fields.ts ?? Number.NaN
      levels[r] = normalizeLevel(split.fields.level)
      // The content is the head's tail with spaces trimmed; check rather than assume.
      let end = head.length
      while (end > 0 && head.charCodeAt(end - 1) <= 32) end--
      const start = end - split.content.length
      if (start >= 0 && head.startsWith(split.content, start)) {
        contentStart[r] = at + start
        contentEnd[r] = at + end
      } else {
        contentStart[r] = -1
        contents[r] = split.content
      }
    }
    /** Record `r`'s session id, in JavaScript. */
    const findSession = (r: number, i: number): void => {
      const at = lineStarts[i] as number
      const found = key && firstSessionId(key, sliceText(text, at, (lineStarts[i + 1] as number) - 1))
      if (found) {
        sessionStart[r] = at + found.start
        sessionEnd[r] = at + found.start + found.id.length
      }
    }
    // Bytes already (an ASCII chunk, see line-columns.ts), or a string sent as bytes where it can be.
    const bytes = typeof text === 'string' ? asciiBytes(text) : text
    // ASCII bytes go to the addon where it ports the layout (and the key, or else JavaScript finds sessions).
    const scanner = typeof bytes === 'string' ? null : native
    if (scanner !== null && typeof bytes !== 'string') {
      scanner.scan(bytes, lineStarts, recordLines, n, heads, (r, i) => {
        scanRecord(r, i)
        if (scanner.sessions) findSession(r, i)
      })
    } else forEachHead(recordLines, scanRecord)
    if (key !== null && !scanner?.sessions) forEachHead(recordLines, findSession)
    const flags = new Uint8Array(lines)
    for (let r = 0, i = 0; r < n; r++) {
      let f = batch.truncated[firstLine + i] === 1 ? lineFlag.truncated : 0
      if (layoutKnown && matched[r] === 0) f |= lineFlag.unparsed
      flags[i] = f
      const recordEnd = i + (recordLines[r] as number)
      for (i++; i < recordEnd; i++) flags[i] = batch.truncated[firstLine + i] === 1 ? lineFlag.continuation | lineFlag.truncated : lineFlag.continuation
    }
    return {
      firstLine: batch.firstLineNo + firstLine,
      keys: maskKeys(bytes, contentStart, contentEnd),
      text: bytes,
      lineStarts,
      offsets: batch.offsets.slice(firstLine),
      flags,
      recordLines,
      contentStart,
      contentEnd,
      contents,
      sessionStart,
      sessionEnd,
      ts,
      levels,
      bytesRead: progress.bytes
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
    end: () => ({ bytes: progress.bytes, encoding: progress.encoding, compression: progress.compression, cutShort: progress.cutShort, sha256: progress.sha256 })
  }
}

/** `visit(r, i)` for each record `r` of a batch, whose head is its line `i`. */
function forEachHead(recordLines: Int32Array, visit: (r: number, i: number) => void): void {
  for (let r = 0, i = 0; r < recordLines.length; i += recordLines[r++] as number) visit(r, i)
}

/** The records' mask keys (see `PackedBatch.keys`), or undefined without the native addon. */
function maskKeys(text: BatchText, contentStart: Int32Array, contentEnd: Int32Array): Float64Array | undefined {
  const native = nativeAddon()
  if (native === null) return undefined
  const keys = new Float64Array(contentStart.length)
  native.maskKeys(text, contentStart, contentEnd, contentStart.length, keys)
  return keys
}

/**
 * Mines record `r`'s content: a key the miner has met goes straight to its template; otherwise
 * the content is masked where it stands in the batch's string, or as a slice of its bytes.
 */
export function minePacked(miner: TemplateMiner, batch: PackedBatch, r: number): number {
  const start = batch.contentStart[r] as number
  if (start < 0) return miner.add(batch.contents[r] ?? '')
  const key = batch.keys?.[r]
  const keyed = key !== undefined && key === key
  if (keyed) {
    const known = miner.repeat(key)
    if (known >= 0) return known
  }
  const text = batch.text
  let source: string
  let from = start
  let to = batch.contentEnd[r] as number
  if (typeof text === 'string') source = text
  else {
    // Bytes: the content alone, as a string of its own.
    source = sliceText(text, from, to)
    from = 0
    to = source.length
  }
  return keyed ? miner.addKeyed(key, source, from, to) : miner.addRange(source, from, to)
}

/** Record `r`'s content (the message after its header). */
export function packedContent(batch: PackedBatch, r: number): string {
  const start = batch.contentStart[r] as number
  return start >= 0 ? sliceText(batch.text, start, batch.contentEnd[r] as number) : (batch.contents[r] ?? '')
}

/** The text of the batch's line `i` (0 = its first line). */
export function packedLine(batch: PackedBatch, i: number): string {
  return sliceText(batch.text, batch.lineStarts[i] as number, (batch.lineStarts[i + 1] as number) - 1)
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

/** The typed arrays (and text bytes) of a batch, to transfer rather than copy. */
export function packedTransferables(batch: PackedBatch): ArrayBuffer[] {
  const arrays = [batch.lineStarts, batch.offsets, batch.flags, batch.recordLines, batch.contentStart, batch.contentEnd, batch.sessionStart, batch.sessionEnd, batch.ts, batch.levels]
  if (batch.keys) arrays.push(batch.keys)
  return [...arrays.map((a) => a.buffer as ArrayBuffer), ...textTransferables(batch.text)]
}
