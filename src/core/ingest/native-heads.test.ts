import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { NativeHeads, newHeadColumns } from './native-heads.ts'
import type { HeadColumns } from './native-heads.ts'
import { createLineSplitter, detectFormat } from '../format/index.ts'
import type { FormatSpec, HeadScan } from '../format/index.ts'
import { GOLDEN } from '../format/testing/golden-formats.ts'
import { builtinSessionKeys, firstSessionId, sessionKeyFromSnapshot } from '../model/sessions/session-key.ts'
import type { SessionKey } from '../model/sessions/session-key.ts'
import { nativeAddon } from '../platform/native-addon.ts'

// The addon's scan must give exactly what the JavaScript splitter and session keys give, record
// by record, stamps learned along the way included.

const year = 2024

/** Lines (ASCII) as one batch: its bytes and where each line starts; one record a line. */
function batchOf(lines: readonly string[]): { text: string; bytes: Uint8Array; lineStarts: Int32Array; recordLines: Int32Array } {
  const text = lines.map((l) => l + '\n').join('')
  const lineStarts = new Int32Array(lines.length + 1)
  for (let i = 0; i < lines.length; i++) lineStarts[i + 1] = (lineStarts[i] as number) + (lines[i] as string).length + 1
  return { text, bytes: Buffer.from(text, 'latin1'), lineStarts, recordLines: new Int32Array(lines.length).fill(1) }
}

/** The batches scanned by the addon (through `NativeHeads`) and, with splitters of their own, in JavaScript. */
function scanBoth(spec: FormatSpec, key: SessionKey | null, batches: readonly (readonly string[])[]): { native: HeadColumns[]; js: HeadColumns[]; scanner: NativeHeads } {
  const nativeSplitter = createLineSplitter(spec, year)
  const jsSplitter = createLineSplitter(spec, year)
  const scanner = NativeHeads.for(nativeSplitter, key)
  if (scanner === null) throw new Error('no native scanner for this layout')
  const scanWith = (scanHead: NonNullable<typeof jsSplitter.scanHead>, text: string, out: HeadColumns, r: number, from: number, to: number, session: boolean): void => {
    const scan: HeadScan = { ts: 0, level: 0, contentStart: 0, contentEnd: 0 }
    out.matched[r] = scanHead(text, from, to, scan) ? 1 : 0
    out.ts[r] = scan.ts
    out.levels[r] = scan.level
    out.contentStart[r] = scan.contentStart
    out.contentEnd[r] = scan.contentEnd
    const found = session && key ? firstSessionId(key, text.slice(from, to)) : null
    if (found) {
      out.sessionStart[r] = from + found.start
      out.sessionEnd[r] = from + found.start + found.id.length
    }
  }
  const native: HeadColumns[] = []
  const js: HeadColumns[] = []
  for (const lines of batches) {
    const { text, bytes, lineStarts, recordLines } = batchOf(lines)
    const n = lines.length
    const mine = newHeadColumns(n)
    scanner.scan(bytes, lineStarts, recordLines, n, mine, (r, i) =>
      scanWith(nativeSplitter.scanHead!, text, mine, r, lineStarts[i] as number, (lineStarts[i + 1] as number) - 1, scanner.sessions)
    )
    native.push(mine)
    const theirs = newHeadColumns(n)
    for (let r = 0; r < n; r++) scanWith(jsSplitter.scanHead!, text, theirs, r, lineStarts[r] as number, (lineStarts[r + 1] as number) - 1, scanner.sessions)
    js.push(theirs)
  }
  return { native, js, scanner }
}

const tokenGoldens = GOLDEN.map((g) => ({ ...g, spec: detectFormat(g.lines, year) })).filter((g) => g.spec.kind === 'tokens')

/** Pieces a header is made of, and that break one. */
const headerPiece = fc.constantFrom(
  ' ', ' ', '  ', '\t', '[', ']', '(', ')', '<', '>', ':', '-', ',', '|', '.', '\u0001', 'INFO', 'info', '[WARN]', '<E>', 'Error:', 'WARN,', '|debug|', '{notice}', 'constructor', 'D', 'x',
  '17', '2023', '2023-04-05', '06:07:08', '06:07:09,001', '2023-04-05 06:07:08,123', '240102', '101500', 'Jun', '14', '15:16:01', '2005-06-03-15.42.50.675872',
  '03-17', '16:13:38.811', 'store.Index:', 'com.acme.A', '[main]', '[pool 1]', '1131566461', '2005.11.09', 'R02-M1-N0-C:J12-U11', 'RAS', 'KERNEL', 'sshd[42]:'
)

/** Levels as logs decorate them, and words that are no level. */
const levelWord = fc.constantFrom('WARN,', '[info]', '<Error>', '|debug|', '{notice}', '((fatal))', 'Warning:', 'E', 'constructor', 'x', '[', 'INFO')

/** A line near a golden line: its level and fraction digits changed, and some characters swapped for header pieces. */
const nearLine = (lines: readonly string[]): fc.Arbitrary<string> =>
  fc.tuple(fc.constantFrom(...lines), fc.array(fc.tuple(fc.nat(), fc.nat(3), headerPiece), { maxLength: 3 }), fc.nat(999), levelWord).map(([line, edits, ms, level]) => {
    let out = line
      .replace(/(\d{2}[:.]\d{2})([.,:])\d{3}\b/, (_, hms: string, sep: string) => `${hms}${sep}${String(ms).padStart(3, '0')}`)
      .replace(/\b(?:INFO|WARN|ERROR|DEBUG|FATAL|notice|error)\b/, level)
    for (const [at, cut, piece] of edits) {
      const i = at % (out.length + 1)
      out = out.slice(0, i) + piece + out.slice(i + cut)
    }
    return out
  })

describe.skipIf(nativeAddon() === null)('native header scan', () => {
  it.each(tokenGoldens.map((g) => [g.name, g] as const))('scans the golden layout as JavaScript does: %s', (_name, g) => {
    // The lines twice over (the second time their stamps are known), and some that fit nothing.
    const batch = [...g.lines, 'garbage without header  ', '', '   ', ...g.lines, '[unclosed bracket', ...g.lines.map((l) => l.replace(/\d/g, '7'))]
    const { native, js } = scanBoth(g.spec, null, [batch, batch])
    expect(native).toEqual(js)
  })

  it.each(tokenGoldens.map((g) => [g.name, g] as const))('scans lines near the golden layout as JavaScript does: %s', (_name, g) => {
    fc.assert(
      fc.property(fc.array(fc.array(nearLine(g.lines), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 3 }), (batches) => {
        const { native, js } = scanBoth(g.spec, null, batches)
        expect(native).toEqual(js)
      }),
      { numRuns: 150 }
    )
  })

  /** Pieces of session ids, near misses and their surroundings. */
  const idPiece = fc.constantFrom(
    'blk_', 'blk_-', '-', '42', '1234567890', 'blk_-42', 'xblk_1', 'trace', 'Trace_Id', 'TRACEID', 'span_id', 'x-request-id', 'request_id', 'reqid', 'correlationId',
    'txn_id', 'transaction_id', 'session_id', 'sessionid', 'id', '=', ':', ' ', '\t', '"', 'abcdef', 'abc', '0123456789abcdef', 'a.b:c-d', '.', '_', 'job_', 'task_',
    'attempt_', 'appattempt_', 'application_', 'container_', '_m_', '_r_', '000', '1445144423722_0020', 'x', 'Z', '550e8400-e29b-41d4-a716-446655440000',
    '550E8400-E29B-41D4-A716-44665544000G', 'attempt_1445144423722_0020_m_000000_0', 'job_1_2_r_3', 'task_1_m_2x', '_m_000', 'container_1_', 'deadbeef-', 'cafe-', '0000', '123456789012', '/', ',', 'at', 'ap'
  )
  const idLine = fc.array(idPiece, { maxLength: 14 }).map((pieces) => `INFO ${pieces.join('')}`)
  const spec: FormatSpec = { kind: 'tokens', columns: [{ role: 'level', span: 1 }], terminator: null }

  it.each(builtinSessionKeys.map((k) => [k.name, k] as const))('finds the first %s id as the pattern does', (_name, key) => {
    fc.assert(
      fc.property(fc.array(idLine, { minLength: 1, maxLength: 20 }), (lines) => {
        const { native, js, scanner } = scanBoth(spec, key, [lines])
        expect(scanner.sessions).toBe(true)
        expect(native).toEqual(js)
      }),
      { numRuns: 400 }
    )
  })

  it('leaves a pattern of the user to JavaScript', () => {
    const user = sessionKeyFromSnapshot({ name: 'user', source: 'user=(\\w+)', flags: 'g' })
    expect(NativeHeads.for(createLineSplitter(spec, year), user)?.sessions).toBe(false)
    expect(NativeHeads.for(createLineSplitter(spec, year), null)?.sessions).toBe(false)
  })

  it('does not take layouts other than tokens', () => {
    expect(NativeHeads.for(createLineSplitter({ kind: 'delimited', delimiter: '|', columns: [{ role: 'level', span: 1 }] }, year), null)).toBeNull()
    expect(NativeHeads.for(createLineSplitter({ kind: 'none' }, year), null)).toBeNull()
  })
})
