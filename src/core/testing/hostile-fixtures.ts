/**
 * The hostile-input corpus (issue #9): files a log viewer meets when the system that wrote them
 * was broken, or when someone wants it to break. Generated on demand into a folder (nothing large
 * is committed); the tests and `npm run check:hostile` call it, and
 * `scripts/generate-hostile-fixtures.ts` writes it for a look by hand.
 */
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

/** Ordinary log lines, numbered so a test can tell which ones came through. */
export function plainLines(count: number, from = 0): string[] {
  return Array.from({ length: count }, (_, i) => `2024-03-01 12:00:${String((from + i) % 60).padStart(2, '0')},000 INFO worker-${(from + i) % 7} handled request ${from + i} in ${(from + i) % 97} ms`)
}

/** Deterministic noise (xorshift), so a "binary" file is the same on every run. */
function noise(length: number, seed = 1): Buffer {
  const out = Buffer.alloc(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

/** Lines that try to be interpreted: terminal escapes, HTML and script. */
export const activeContentLines: readonly string[] = [
  '\x1b[31mERROR\x1b[0m payment failed \x1b]0;pwned title\x07 \x1b[2J',
  '<script>window.__pwned = true</script> user agent',
  '<img src=x onerror="window.__pwned = true"> avatar upload',
  'javascript:alert(1) &lt;b&gt;not bold&lt;/b&gt; &amp; ${process.exit()} {{7*7}}',
  '\u202Eevil.exe\u202C right-to-left override, zero\u200Bwidth space'
]

/** Lines gzipped into the damaged .gz fixture (the cut-off one holds 5,000). */
export const corruptGzLines = 60_000

export interface HostileCorpus {
  readonly dir: string
  readonly empty: string
  readonly binary: string
  readonly longLine: string
  readonly invalidUtf8: string
  readonly utf16le: string
  readonly utf16be: string
  readonly utf16leNoBom: string
  readonly nulBytes: string
  readonly truncatedGz: string
  readonly corruptGz: string
  readonly activeContent: string
  readonly sparse: string
  readonly folder: string
  readonly foreignModel: string
  readonly corruptModel: string
  /** Lines in the readable part of each text fixture, for "every line accounted for". */
  readonly expectedLines: { readonly invalidUtf8: number; readonly utf16: number; readonly nulBytes: number; readonly activeContent: number; readonly sparseHead: number }
}

export interface CorpusOptions {
  /** Size of the single-line file (the case is 100 MB; unit tests use less). */
  readonly longLineBytes?: number
  /** Apparent size of the sparse file (the case is 10 GB). */
  readonly sparseBytes?: number
}

/** A file of `bytes` bytes with no newline, written in 1 MiB pieces. */
export function writeSingleLine(path: string, bytes: number): void {
  const fd = openSync(path, 'w')
  try {
    const piece = Buffer.alloc(1 << 20, 'abcdefghij')
    for (let left = bytes; left > 0; left -= piece.length) writeSync(fd, piece, 0, Math.min(left, piece.length))
  } finally {
    closeSync(fd)
  }
}

/** Some log lines, then a hole up to `bytes` (if larger): what a crashed, preallocated log looks like. */
export function writeSparse(path: string, bytes: number, lines: readonly string[]): void {
  const fd = openSync(path, 'w')
  try {
    const written = writeSync(fd, lines.join('\n') + '\n')
    if (bytes > written) ftruncateSync(fd, bytes)
  } finally {
    closeSync(fd)
  }
}

export function writeHostileCorpus(dir: string, options: CorpusOptions = {}): HostileCorpus {
  mkdirSync(dir, { recursive: true })
  const at = (name: string): string => join(dir, name)
  const text = (lines: readonly string[]): string => lines.join('\n') + '\n'

  writeFileSync(at('empty.log'), '')
  // An executable-like header, then noise: what a core dump or a binary looks like.
  writeFileSync(at('binary.bin'), Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(56), noise(64 * 1024)]))
  writeSingleLine(at('long-line.log'), options.longLineBytes ?? 8 << 20)

  const invalid = [
    Buffer.from('caf\xe9 ordered (Latin-1)\n', 'latin1'),
    Buffer.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x20, 0xe2, 0x82, 0x0a]),
    Buffer.from(text(plainLines(20))),
    Buffer.from([0xf0, 0x9f, 0x98])
  ]
  writeFileSync(at('invalid-utf8.log'), Buffer.concat(invalid))

  const utf16 = text([...plainLines(20), 'grüße 日本 ✓'])
  const le = Buffer.from(utf16, 'utf16le')
  writeFileSync(at('utf16le.log'), Buffer.concat([Buffer.from([0xff, 0xfe]), le]))
  writeFileSync(at('utf16be.log'), Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()]))
  writeFileSync(at('utf16le-nobom.log'), le)

  const withNul = plainLines(30)
  withNul[3] = `before\0after a NUL`
  withNul[10] = `${'\0'.repeat(200)}a run of NULs, as a crash leaves in a preallocated log`
  writeFileSync(at('nul-bytes.log'), text(withNul))

  const gz = gzipSync(text(plainLines(5_000)))
  writeFileSync(at('truncated.log.gz'), gz.subarray(0, Math.floor(gz.length * 0.6)))
  // Damage in the middle of a larger stream: zlib drops the output it had not yet handed over
  // (up to a 1 MiB chunk), so the lines before that come through.
  const corrupt = gzipSync(text(plainLines(corruptGzLines)))
  const middle = Math.floor(corrupt.length / 2)
  for (let i = middle; i < middle + 64; i++) corrupt[i] = (corrupt[i] as number) ^ 0x5a
  writeFileSync(at('corrupt.log.gz'), corrupt)

  writeFileSync(at('active-content.log'), text([...plainLines(3), ...activeContentLines]))
  writeSparse(at('sparse.log'), options.sparseBytes ?? 256 << 20, plainLines(2_000))
  mkdirSync(at('a-folder.log'), { recursive: true })

  writeFileSync(at('foreign-model.json'), JSON.stringify({ format: 'someone-elses-model', weights: [1, 2, 3] }))
  writeFileSync(at('corrupt-model.json'), '{"format":"faultline-model","schemaVersion":1,"checksum":"sha256:00","model":{"templ')

  return {
    dir,
    empty: at('empty.log'),
    binary: at('binary.bin'),
    longLine: at('long-line.log'),
    invalidUtf8: at('invalid-utf8.log'),
    utf16le: at('utf16le.log'),
    utf16be: at('utf16be.log'),
    utf16leNoBom: at('utf16le-nobom.log'),
    nulBytes: at('nul-bytes.log'),
    truncatedGz: at('truncated.log.gz'),
    corruptGz: at('corrupt.log.gz'),
    activeContent: at('active-content.log'),
    sparse: at('sparse.log'),
    folder: at('a-folder.log'),
    foreignModel: at('foreign-model.json'),
    corruptModel: at('corrupt-model.json'),
    expectedLines: { invalidUtf8: 23, utf16: 21, nulBytes: 30, activeContent: 3 + activeContentLines.length, sparseHead: 2_000 }
  }
}
