/**
 * Follows a growing log file (`tail -F`): reads only the bytes appended since the last look and
 * yields them as lines, in batches, across rotation, copytruncate and deletion + re-creation.
 *
 * What is tracked: the open file (kept open by descriptor, so a renamed or deleted file can still
 * be drained), its device and inode, and the offset read up to. Each look (on an `fs.watch` event
 * of the directory for promptness, else every `pollMs`, since watch events get lost across
 * renames) does, in order:
 *  - the path names another file (rotation: renamed away and recreated; or deleted and
 *    recreated): once that file holds data, the writer has moved to it, so the OLD file is read
 *    to its end first (lines the writer added after the rename are not lost), its unterminated
 *    last line is emitted as a line of its own (nothing can complete it any more), and reading
 *    goes on from byte 0 of the new file. While the new file is still empty, the old one keeps
 *    being drained (logrotate's `create` leaves the writer on the old file until it reopens).
 *  - the path is gone: the old file keeps being drained until a new one appears.
 *  - same file, but smaller than the offset, or the bytes just before the offset changed
 *    (copytruncate, even when the writer has already written past the old offset): reading
 *    restarts at byte 0. Bytes written between our last read and the truncation live only in
 *    the copy: a sibling named like the file (`app.log.1`, `app.log-20260101`) whose bytes end
 *    where ours did is found and read from our offset on, so they are not lost. A partial line
 *    pending at the truncation is kept and continued by what follows at byte 0 (the writer's
 *    descriptor goes on where it was, so that is the rest of its line).
 *  - growth: the new bytes are read (at most `chunkBytes` per batch, so a big backlog is
 *    handed over in bounded pieces).
 * A partial last line is held until its '\n' arrives. Lines are decoded like the reader does
 * (CRLF, invalid UTF-8 → U+FFFD, giant lines truncated for display, BOMs) and numbered 1, 2, …
 * across the whole follow. Stopping (`close()` or the abort signal) drops a still-partial line.
 *
 * Limits: a file rotated twice between two looks loses the middle generation (as `tail -F`
 * does); with several writer processes, lines a late one adds to the old file after the new
 * file has data are not read; compressed files cannot be followed.
 */
import { watch } from 'node:fs'
import type { FSWatcher, Stats } from 'node:fs'
import { open, readdir, stat } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { LineSplitter, sniffCompression } from '../read/index.ts'
import type { Line } from '../read/index.ts'

export interface FollowOptions {
  /**
   * Where to begin: after the last complete line of the current file (default), byte 0, or a
   * byte offset where an earlier read stopped (the first line start from there on; byte 0 when
   * the file is now shorter than that).
   */
  readonly from?: 'end' | 'start' | number | undefined
  /** Fallback look interval when no watch event arrives (ms). */
  readonly pollMs?: number | undefined
  /** Largest read per batch. */
  readonly chunkBytes?: number | undefined
  readonly maxLineBytes?: number | undefined
  readonly signal?: AbortSignal | undefined
  /** Told when the follower moves to another file or starts the file over. */
  readonly onChange?: ((change: FollowChange) => void) | undefined
}

export type FollowChangeKind = 'rotated' | 'truncated' | 'missing' | 'appeared'

export interface FollowChange {
  readonly kind: FollowChangeKind
  /** Line number the next line will get. */
  readonly nextLine: number
  /** `truncated`: bytes recovered from the copy a copytruncate left beside the file. */
  readonly recoveredFrom?: string | undefined
}

export interface FollowedLine extends Line {
  /** Which file the line came from: 0 for the first, +1 at each rotation or re-creation. */
  readonly generation: number
}

const defaults = { pollMs: 100, chunkBytes: 1 << 20 }
/** Bytes before the offset compared at each look, to notice a truncation hidden by new writes. */
const FINGERPRINT_BYTES = 64
/** How far back `from: 'end'` looks for the last line start. */
const BACKTRACK_BYTES = 64 * 1024

interface OpenFile {
  handle: FileHandle
  dev: number
  ino: number
  /** File offset read up to. */
  offset: number
  generation: number
  splitter: LineSplitter
  /** Splitter stream position → file offset: stream p maps to `fileBase + (p - streamBase)`. */
  segments: { streamBase: number; fileBase: number }[]
  /** Splitter stream position of the next byte pushed. */
  streamPos: number
  /** The last bytes read (up to FINGERPRINT_BYTES), ending at `offset`. */
  tail: Buffer
}

export class FileFollower {
  readonly path: string
  readonly #options: FollowOptions
  readonly #pollMs: number
  readonly #chunkBytes: number
  #file: OpenFile | null = null
  #generation = 0
  #lineNo = 0
  #closed = false
  #watcher: FSWatcher | null = null
  #woken = false
  #wake: (() => void) | null = null
  #missingReported = false
  #started: Promise<void> | undefined
  #iterating = false

  constructor(path: string, options: FollowOptions = {}) {
    this.path = path
    this.#options = options
    this.#pollMs = options.pollMs ?? defaults.pollMs
    this.#chunkBytes = options.chunkBytes ?? defaults.chunkBytes
    options.signal?.addEventListener('abort', () => this.close(), { once: true })
  }

  /** Line number the next line will get. */
  get nextLine(): number {
    return this.#lineNo + 1
  }

  /** Stops following: the batch iterator ends at its next wait (and closes the file). */
  close(): void {
    if (this.#closed) return
    this.#closed = true
    this.#watcher?.close()
    this.#watcher = null
    this.#wakeUp()
    // Started but never iterated: nobody else will close the file.
    if (!this.#iterating) this.#release()
  }

  #release(): void {
    const file = this.#file
    this.#file = null
    void file?.handle.close().catch(() => {})
  }

  /**
   * Settles where the follow begins (the end of the file as it is now, or its start) without
   * reading yet; `batches()` does it when not done before. Lines appended from now on are read.
   */
  start(): Promise<void> {
    this.#started ??= (async () => {
      this.#watchDirectory()
      await this.#start()
    })()
    return this.#started
  }

  /** The lines as they are appended, in batches; ends when the follower is closed. */
  async *batches(): AsyncGenerator<FollowedLine[]> {
    this.#iterating = true
    try {
      await this.start()
      while (!this.#closed) {
        this.#woken = false
        const { lines, more } = await this.#look()
        if (this.#closed) break
        if (lines.length > 0) yield lines
        if (!more) await this.#sleep()
      }
    } finally {
      this.#iterating = false
      this.close()
      this.#release()
    }
  }

  #watchDirectory(): void {
    if (this.#closed) return
    const name = basename(this.path)
    try {
      // The directory, not the file: a watch on the file follows its inode away on rename.
      this.#watcher = watch(dirname(this.path), { persistent: false }, (_event, file) => {
        if (file === null || file === name || file.startsWith(name)) this.#wakeUp()
      })
      this.#watcher.on('error', () => {
        this.#watcher?.close()
        this.#watcher = null
      })
    } catch {
      // Polling alone still works (network file systems, some containers).
      this.#watcher = null
    }
  }

  #wakeUp(): void {
    this.#woken = true
    const wake = this.#wake
    this.#wake = null
    wake?.()
  }

  #sleep(): Promise<void> {
    if (this.#woken || this.#closed) return Promise.resolve()
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer)
        if (this.#wake === done) this.#wake = null
        resolve()
      }
      const timer = setTimeout(done, this.#pollMs)
      this.#wake = done
    })
  }

  async #start(): Promise<void> {
    const opened = await this.#openPath()
    if (!opened) return
    const { handle, stats } = opened
    let head: Buffer
    try {
      head = await plainHead(handle, this.path)
    } catch (error) {
      await handle.close()
      throw error
    }
    const wanted = this.#options.from
    const newline = newlineOf(head)
    const from =
      wanted === 'start'
        ? 0
        : typeof wanted === 'number'
          ? wanted <= stats.size
            ? await lineStartFrom(handle, wanted, newline)
            : 0
          : await lastLineStart(handle, stats.size, newline)
    this.#file = this.#adopt(handle, stats, from, head)
    if (this.#closed && !this.#iterating) this.#release()
  }

  async #openPath(): Promise<{ handle: FileHandle; stats: Stats } | null> {
    let handle: FileHandle
    try {
      handle = await open(this.path, 'r')
    } catch (error) {
      if (isMissing(error)) return null
      throw error
    }
    const stats = await handle.stat()
    if (!stats.isFile()) {
      await handle.close()
      throw new Error(`${this.path} is not a file`)
    }
    return { handle, stats }
  }

  /** Takes over an open file, reading from `from`; `head` is its first bytes (for a BOM). */
  #adopt(handle: FileHandle, stats: Stats, from: number, head: Buffer): OpenFile {
    const splitter = new LineSplitter(this.#options.maxLineBytes === undefined ? {} : { maxLineBytes: this.#options.maxLineBytes })
    let streamPos = 0
    if (from > 0) {
      // Starting mid-file: show the splitter the file's byte-order mark so it decodes alike.
      const bom = bomLength(head)
      if (bom > 0) {
        splitter.push(head.subarray(0, bom))
        streamPos = bom
      }
    }
    return {
      handle,
      dev: stats.dev,
      ino: stats.ino,
      offset: from,
      generation: this.#generation,
      splitter,
      segments: [{ streamBase: streamPos, fileBase: from }],
      streamPos,
      tail: Buffer.alloc(0)
    }
  }

  /** One look at the file; `more` when a read stopped at `chunkBytes` with data left. */
  async #look(): Promise<{ lines: FollowedLine[]; more: boolean }> {
    const out: FollowedLine[] = []
    const file = this.#file
    if (file === null) {
      const opened = await this.#openPath()
      if (opened) {
        // The file appeared (or reappeared): all of it is new.
        this.#file = this.#adopt(opened.handle, opened.stats, 0, Buffer.alloc(0))
        this.#change('appeared')
        return { lines: out, more: true }
      }
      this.#reportMissing()
      return { lines: out, more: false }
    }

    const current = await stat(this.path).catch((error: unknown) => {
      if (isMissing(error)) return null
      throw error
    })
    if (current === null) {
      this.#reportMissing()
      // Deleted or renamed away with nothing in its place yet: keep draining what we hold.
      return this.#drain(file, out)
    }
    this.#missingReported = false
    if (current.ino !== file.ino || current.dev !== file.dev) {
      if (current.size === 0) return this.#drain(file, out)
      // The writer has moved on (the new file has data): finish the old file, then switch.
      for (;;) {
        const r = await this.#drain(file, out)
        if (!r.more) break
      }
      const opened = await this.#openPath()
      if (opened === null) return { lines: out, more: true }
      this.#finish(file, out)
      await file.handle.close()
      this.#generation++
      this.#file = this.#adopt(opened.handle, opened.stats, 0, Buffer.alloc(0))
      this.#change('rotated')
      return { lines: out, more: true }
    }
    return this.#drain(file, out)
  }

  /** Reads what the open file has past the offset, noticing a truncation first. */
  async #drain(file: OpenFile, out: FollowedLine[]): Promise<{ lines: FollowedLine[]; more: boolean }> {
    const size = (await file.handle.stat()).size
    if (size < file.offset || !(await this.#tailIntact(file))) {
      await this.#restart(file, out)
      return { lines: out, more: true }
    }
    if (size === file.offset) return { lines: out, more: false }
    const want = Math.min(size - file.offset, this.#chunkBytes)
    const buf = Buffer.allocUnsafe(want)
    const { bytesRead } = await file.handle.read(buf, 0, want, file.offset)
    this.#push(file, buf.subarray(0, bytesRead), out)
    return { lines: out, more: bytesRead === want && file.offset < size }
  }

  /** Whether the bytes just before the offset are still the ones read there. */
  async #tailIntact(file: OpenFile): Promise<boolean> {
    const n = file.tail.length
    if (n === 0) return true
    const buf = Buffer.alloc(n)
    const { bytesRead } = await file.handle.read(buf, 0, n, file.offset - n)
    return bytesRead === n && buf.equals(file.tail)
  }

  /** Copytruncate: recover the bytes that only the copy holds, then read from byte 0. */
  async #restart(file: OpenFile, out: FollowedLine[]): Promise<void> {
    const copy = file.tail.length > 0 ? await this.#findCopy(file) : null
    if (copy !== null) {
      try {
        for (;;) {
          const buf = Buffer.allocUnsafe(this.#chunkBytes)
          const { bytesRead } = await copy.handle.read(buf, 0, this.#chunkBytes, file.offset)
          if (bytesRead === 0) break
          this.#push(file, buf.subarray(0, bytesRead), out)
        }
      } finally {
        await copy.handle.close()
      }
    }
    file.offset = 0
    file.tail = Buffer.alloc(0)
    file.segments.push({ streamBase: file.streamPos, fileBase: 0 })
    this.#change('truncated', copy?.path)
  }

  /** A sibling named like the file whose bytes up to our offset end with the ones we read last. */
  async #findCopy(file: OpenFile): Promise<{ handle: FileHandle; path: string } | null> {
    const dir = dirname(this.path)
    const name = basename(this.path)
    let entries: string[]
    try {
      entries = await readdir(dir)
    } catch {
      return null
    }
    for (const entry of entries) {
      if (entry === name || !entry.startsWith(name)) continue
      const path = join(dir, entry)
      let handle: FileHandle
      try {
        handle = await open(path, 'r')
      } catch {
        continue
      }
      try {
        const stats = await handle.stat()
        if (stats.isFile() && stats.size > file.offset && stats.ino !== file.ino) {
          const n = file.tail.length
          const buf = Buffer.alloc(n)
          const { bytesRead } = await handle.read(buf, 0, n, file.offset - n)
          if (bytesRead === n && buf.equals(file.tail)) return { handle, path }
        }
      } catch {
        // Not readable: not our copy.
      }
      await handle.close()
    }
    return null
  }

  #push(file: OpenFile, bytes: Buffer, out: FollowedLine[]): void {
    if (bytes.length === 0) return
    file.offset += bytes.length
    file.streamPos += bytes.length
    file.tail =
      bytes.length >= FINGERPRINT_BYTES
        ? Buffer.from(bytes.subarray(bytes.length - FINGERPRINT_BYTES))
        : Buffer.concat([file.tail, bytes]).subarray(-FINGERPRINT_BYTES)
    this.#emit(file, file.splitter.push(bytes), out)
  }

  /** Leaving a file for good: its unterminated last line is complete as far as it goes. */
  #finish(file: OpenFile, out: FollowedLine[]): void {
    this.#emit(file, file.splitter.end(), out)
  }

  #emit(file: OpenFile, lines: Line[], out: FollowedLine[]): void {
    if (lines.length === 0) return
    const segments = file.segments
    for (const line of lines) {
      // Segments are few (one per truncation); drop those no line can start in any more.
      while (segments.length > 1 && (segments[1] as { streamBase: number }).streamBase <= line.offset) segments.shift()
      const segment = segments[0] as { streamBase: number; fileBase: number }
      out.push({
        lineNo: ++this.#lineNo,
        offset: segment.fileBase + (line.offset - segment.streamBase),
        text: line.text,
        byteLength: line.byteLength,
        truncated: line.truncated,
        generation: file.generation
      })
    }
  }

  #reportMissing(): void {
    if (this.#missingReported) return
    this.#missingReported = true
    this.#change('missing')
  }

  #change(kind: FollowChangeKind, recoveredFrom?: string): void {
    this.#options.onChange?.({ kind, nextLine: this.#lineNo + 1, ...(recoveredFrom !== undefined && { recoveredFrom }) })
  }
}

/** Follows `path`; see `FileFollower`. */
export function followFile(path: string, options: FollowOptions = {}): FileFollower {
  return new FileFollower(path, options)
}

/** The file's first bytes (for a BOM); refuses a compressed file, which cannot be followed. */
async function plainHead(handle: FileHandle, path: string): Promise<Buffer> {
  const head = Buffer.alloc(4)
  const { bytesRead } = await handle.read(head, 0, 4, 0)
  if (sniffCompression(head.subarray(0, bytesRead)) !== 'none') throw new Error(`${path} is compressed; only plain log files can be followed`)
  return head.subarray(0, bytesRead)
}

/** Throws when `path` exists and is compressed (a missing file may still come). */
export async function checkFollowable(path: string): Promise<void> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    if (isMissing(error)) return
    throw error
  }
  try {
    await plainHead(handle, path)
  } finally {
    await handle.close()
  }
}

/** How a line ends in the file's encoding: '\n' as one byte, or as a 16-bit unit (UTF-16). */
interface Newline {
  readonly unit: 1 | 2
  /** Whether the newline's first byte sits at `i` of `buf` (at file offset `base + i`). */
  at(buf: Buffer, i: number, base: number): boolean
}

function newlineOf(head: Buffer): Newline {
  if (head[0] === 0xff && head[1] === 0xfe) return { unit: 2, at: (b, i, base) => (base + i) % 2 === 0 && b[i] === 10 && b[i + 1] === 0 }
  if (head[0] === 0xfe && head[1] === 0xff) return { unit: 2, at: (b, i, base) => (base + i) % 2 === 0 && b[i] === 0 && b[i + 1] === 10 }
  return { unit: 1, at: (b, i) => b[i] === 10 }
}

/** Offset just after the last line end (a line being written when we start is read whole). */
async function lastLineStart(handle: FileHandle, size: number, newline: Newline): Promise<number> {
  if (size === 0) return 0
  const base = Math.max(0, size - BACKTRACK_BYTES)
  const buf = Buffer.alloc(size - base)
  const { bytesRead } = await handle.read(buf, 0, buf.length, base)
  for (let i = bytesRead - newline.unit; i >= 0; i--) if (newline.at(buf, i, base)) return base + i + newline.unit
  // No line end in reach: a single unfinished line (read it whole) or a giant one (skip it).
  return base === 0 ? 0 : size
}

/** The first line start at or after `at` (a position inside a line or its CRLF skips the rest of it). */
async function lineStartFrom(handle: FileHandle, at: number, newline: Newline): Promise<number> {
  if (at === 0) return 0
  const base = Math.max(0, at - newline.unit)
  const buf = Buffer.alloc(BACKTRACK_BYTES)
  const { bytesRead } = await handle.read(buf, 0, BACKTRACK_BYTES, base)
  if (base + newline.unit === at && newline.at(buf, 0, base)) return at
  for (let i = 0; i + newline.unit <= bytesRead; i++) if (base + i >= at - newline.unit + 1 && newline.at(buf, i, base)) return base + i + newline.unit
  return at
}

function bomLength(head: Buffer): number {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 3
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return 2
  return 0
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === 'ENOENT'
}
