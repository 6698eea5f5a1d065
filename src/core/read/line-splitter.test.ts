import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { LineSplitter, truncationMarker } from './line-splitter.ts'
import { splitBuffer } from './read-lines.ts'
import type { Line } from './types.ts'

/** `buf` cut into chunks at the given points (taken modulo its length, deduplicated). */
function cutAt(buf: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b)
  const chunks: Buffer[] = []
  let prev = 0
  for (const p of points) {
    chunks.push(buf.subarray(prev, p))
    prev = p
  }
  chunks.push(buf.subarray(prev))
  return chunks
}

function feed(chunks: Buffer[], maxLineBytes?: number): Line[] {
  const s = new LineSplitter(maxLineBytes === undefined ? {} : { maxLineBytes })
  return [...chunks.flatMap((c) => s.push(c)), ...s.end()]
}

describe('LineSplitter', () => {
  it('splits LF and CRLF, keeping 1-based numbers and byte offsets', () => {
    const lines = splitBuffer(Buffer.from('a\r\nbb\nccc\r\n\nlast'))
    expect(lines.map((l) => l.text)).toEqual(['a', 'bb', 'ccc', '', 'last'])
    expect(lines.map((l) => l.lineNo)).toEqual([1, 2, 3, 4, 5])
    expect(lines.map((l) => l.offset)).toEqual([0, 3, 6, 11, 12])
  })

  it('replaces invalid UTF-8 instead of throwing', () => {
    const lines = splitBuffer(Buffer.from([0x61, 0xff, 0xfe, 0x62, 0x0a, 0xc3]))
    expect(lines[0]?.text).toBe('a\uFFFD\uFFFDb')
    expect(lines[1]?.text).toBe('\uFFFD')
  })

  it('decodes UTF-16 LE and BE with a BOM, offsets in bytes', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('héllo\r\nwörld\n', 'utf16le')])
    const be = Buffer.from(le)
    be.swap16()
    for (const buf of [le, be]) {
      const lines = splitBuffer(buf)
      expect(lines.map((l) => l.text)).toEqual(['héllo', 'wörld'])
      expect(lines.map((l) => l.offset)).toEqual([2, 16])
    }
  })

  it('skips a UTF-8 BOM', () => {
    expect(splitBuffer(Buffer.from('\uFEFFhi\n')).map((l) => [l.text, l.offset])).toEqual([['hi', 3]])
  })

  it('truncates giant lines for display but records their length', () => {
    const big = 'x'.repeat(200_000)
    const lines = feed([Buffer.from(big.slice(0, 70_000)), Buffer.from(big.slice(70_000) + '\nnext\n')])
    expect(lines).toHaveLength(2)
    const first = lines[0] as Line
    expect(first.truncated).toBe(true)
    expect(first.byteLength).toBe(200_000)
    expect(first.text).toBe('x'.repeat(64 * 1024) + truncationMarker(200_000))
    expect(lines[1]).toMatchObject({ text: 'next', offset: 200_001, lineNo: 2 })
  })

  it('gives the same lines whatever the chunking, a byte-order mark cut in two included', () => {
    expect(feed([Buffer.from([0xfe]), Buffer.from([0xff, 0, 0x61, 0, 0x0a])], 32)).toEqual(splitBuffer(Buffer.from([0xfe, 0xff, 0, 0x61, 0, 0x0a]), 32))
    expect(feed([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x61])], 32)).toEqual(splitBuffer(Buffer.from([0xef, 0xbb, 0xbf, 0x61]), 32))
    expect(feed([Buffer.from([0xef])], 32)).toEqual(splitBuffer(Buffer.from([0xef]), 32))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.array(fc.nat(400), { maxLength: 6 }), (bytes, cuts) => {
        const buf = Buffer.from(bytes)
        expect(feed(cutAt(buf, cuts), 32)).toEqual(splitBuffer(buf, 32))
      }),
      { numRuns: 2_000 }
    )
  })

  it('never throws on arbitrary bytes and accounts for every line', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const buf = Buffer.from(bytes)
        // Only plain UTF-8 here: a leading BOM switches the unit size (tested above).
        const utf16 = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)
        const lines = splitBuffer(buf, 64)
        if (utf16) return
        const bom = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0
        const body = buf.subarray(bom)
        const newlines = body.filter((b) => b === 10).length
        const expected = newlines + (body.length > 0 && body[body.length - 1] !== 10 ? 1 : 0)
        expect(lines).toHaveLength(expected)
        let offset = bom
        lines.forEach((l, i) => {
          expect(l.lineNo).toBe(i + 1)
          expect(l.offset).toBe(offset)
          const raw = buf.subarray(offset, offset + l.byteLength)
          expect(raw.includes(10)).toBe(false)
          // Next line starts after the terminator (\n or \r\n).
          offset += l.byteLength + (buf[offset + l.byteLength] === 13 ? 2 : 1)
        })
      })
    )
  })

  it('decodes runs of lines at once exactly as line by line: text, offsets, lengths, CRs and caps', () => {
    // The reference splits the whole input on '\n' and decodes each line on its own.
    const reference = (buf: Buffer, cap: number): Line[] => {
      const out: Line[] = []
      let start = 0
      while (start < buf.length) {
        const nl = buf.indexOf(10, start)
        const end = nl < 0 ? buf.length : nl
        let len = end - start
        if (len > 0 && buf[end - 1] === 13) len--
        const truncated = len > cap
        const text = truncated ? buf.toString('utf8', start, start + cap) + truncationMarker(len) : buf.toString('utf8', start, start + len)
        out.push({ lineNo: out.length + 1, offset: start, text, byteLength: len, truncated })
        start = end + 1
      }
      return out
    }
    // A line right at the cap among short ones, in one chunk: ASCII and not.
    for (const unit of ['x', 'é']) {
      for (const bytes of [62, 63, 64, 65, 66]) {
        const buf = Buffer.from(`L\n${unit.repeat(Math.floor(bytes / Buffer.byteLength(unit)))}\nabc\n`)
        expect(feed([buf], 64)).toEqual(reference(buf, 64))
      }
    }
    const piece = fc.constantFrom('a', 'bc ', 'é', '😀', '\n', '\n', '\r\n', '\r', 'x'.repeat(40))
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 80 }), fc.array(fc.nat(4000), { maxLength: 5 }), (pieces, cuts) => {
        // No BOM and no leading UTF-16 look: the text is plain UTF-8.
        const buf = Buffer.from('L' + pieces.join(''))
        expect(feed(cutAt(buf, cuts), 64)).toEqual(reference(buf, 64))
      }),
      { numRuns: 3_000 }
    )
  })
})
