/**
 * Is this a text log? Judged from the first 64 KiB after decompression, before anything is
 * written: a core dump, an image or a database opened by mistake is refused with a plain reason
 * (the caller may insist, `anyway`, and read it as text). Logs with a few stray NUL or invalid
 * bytes, in Latin-1, or in UTF-16 with or without a byte-order mark, pass.
 */
import { open } from 'node:fs/promises'
import { openBytes } from './open-bytes.ts'

export const sniffBytes = 64 * 1024

/** Share of suspicious bytes (NUL, control, not UTF-8) above which a file is not text. */
const binaryShare = 0.1

export class NotTextError extends Error {
  readonly code = 'not_text'
  constructor(message: string) {
    super(message)
    this.name = 'NotTextError'
  }
}

/**
 * UTF-16 without a byte-order mark: mostly-ASCII text then has a zero in every other byte. Needs
 * 32 bytes to say; looks at the first 4 KiB only, so a chunk boundary later cannot change it.
 */
export function guessUtf16(head: Uint8Array): 'utf16le' | 'utf16be' | null {
  const n = Math.min(head.length, 4096) & ~1
  if (n < 32) return null
  let evenZero = 0
  let oddZero = 0
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZero++
    if (head[i + 1] === 0) oddZero++
  }
  const pairs = n / 2
  if (oddZero >= pairs * 0.7 && evenZero <= pairs * 0.05) return 'utf16le'
  if (evenZero >= pairs * 0.7 && oddZero <= pairs * 0.05) return 'utf16be'
  return null
}

function hasUtf16Bom(head: Uint8Array): boolean {
  return (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)
}

/** Length of the valid UTF-8 sequence at `i`, or 0 (an incomplete one at the very end counts as valid). */
function utf8Length(b: Uint8Array, i: number): number {
  const c = b[i] as number
  const need = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1
  if (need < 0) return 0
  for (let k = 1; k <= need; k++) {
    if (i + k >= b.length) return b.length - i
    if (((b[i + k] as number) & 0xc0) !== 0x80) return 0
  }
  return need + 1
}

const undecoded = ', which Faultline does not decompress: decompress it first (gzip and zstd are read as they are)'

/** File kinds told by their first bytes, for a refusal that names what the file is. */
const magic: readonly { readonly bytes: readonly number[]; readonly at?: number; readonly what: string }[] = [
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: `xz-compressed${undecoded}` },
  { bytes: [0x42, 0x5a, 0x68], what: `bzip2-compressed${undecoded}` },
  { bytes: [0x04, 0x22, 0x4d, 0x18], what: `lz4-compressed${undecoded}` },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: `a 7-Zip archive${undecoded}` },
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: `a zip archive${undecoded}` },
  { bytes: [0x75, 0x73, 0x74, 0x61, 0x72], at: 257, what: 'a tar archive: unpack it and open the log inside' },
  { bytes: [...Buffer.from('SQLite format 3\0')], what: 'an SQLite database (a Faultline case is reopened from the recent list, not opened as a log)' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable or a core dump (ELF)' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' }
]

function knownKind(head: Uint8Array): string | null {
  for (const { bytes, at = 0, what } of magic) if (bytes.every((b, i) => head[at + i] === b)) return what
  return null
}

export interface TextVerdict {
  readonly text: boolean
  /** Why it is not text, in words for the user; null when it is. */
  readonly reason: string | null
}

export function sniffText(head: Uint8Array): TextVerdict {
  if (head.length === 0 || hasUtf16Bom(head) || guessUtf16(head) !== null) return { text: true, reason: null }
  const kind = knownKind(head)
  if (kind !== null) return { text: false, reason: `it is ${kind}` }
  let nul = 0
  let control = 0
  let invalid = 0
  for (let i = 0; i < head.length; ) {
    const c = head[i] as number
    if (c < 0x80) {
      if (c === 0) nul++
      // Tab, newlines, form feed, backspace and ESC (colour codes) are at home in logs.
      else if (c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 8 && c !== 27) control++
      i++
      continue
    }
    const len = utf8Length(head, i)
    if (len === 0) {
      invalid++
      i++
    } else i += len
  }
  const share = (nul + control + invalid) / head.length
  if (share <= binaryShare) return { text: true, reason: null }
  const percent = (count: number): string => `${Math.round((count / head.length) * 100)}%`
  const what = [nul > 0 && `${percent(nul)} NUL bytes`, control > 0 && `${percent(control)} control bytes`, invalid > 0 && `${percent(invalid)} bytes that are not UTF-8`]
    .filter(Boolean)
    .join(', ')
  return { text: false, reason: `its first ${head.length.toLocaleString('en-US')} bytes hold ${what}` }
}

/** The first `max` bytes after decompression (fewer if the file is shorter or its compression breaks early). */
export async function readDecodedHead(path: string, max = sniffBytes): Promise<Buffer> {
  const { chunks, close } = await openBytes(path)
  const parts: Buffer[] = []
  let size = 0
  try {
    for await (const chunk of chunks) {
      // A copy of what is wanted of it: the chunk's memory is only lent.
      const wanted = Buffer.from(chunk.subarray(0, max - size))
      parts.push(wanted)
      size += wanted.length
      if (size >= max) break
    }
  } catch {
    // A damaged compressed stream: judge what came out before it broke (the reader reports the damage).
  } finally {
    close()
  }
  return Buffer.concat(parts)
}

/**
 * Checks that `path` is a readable file holding text, with a message fit for the user when not.
 * `anyway` skips the text check (the user asked to read it as text regardless).
 */
export async function checkTextFile(path: string, anyway = false): Promise<void> {
  let handle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') throw new Error(`No file at ${path}`)
    if (code === 'EACCES' || code === 'EPERM') throw new Error(`Cannot read ${path}: permission denied`)
    if (code === 'EISDIR') throw new Error(`${path} is a folder; choose a log file`)
    throw new Error(`Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  try {
    const stat = await handle.stat()
    if (stat.isDirectory()) throw new Error(`${path} is a folder; choose a log file`)
    if (!stat.isFile()) throw new Error(`${path} is not a regular file`)
  } finally {
    await handle.close()
  }
  if (anyway) return
  const verdict = sniffText(await readDecodedHead(path))
  if (!verdict.text) throw new NotTextError(`${path} does not look like a text log: ${verdict.reason}. Open it anyway to read it as text.`)
}
