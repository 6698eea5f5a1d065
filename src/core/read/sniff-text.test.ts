import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { guessUtf16, sniffText } from './sniff-text.ts'

describe('sniffText', () => {
  it('takes any UTF-8 text, with tabs, escapes and a few stray bytes, as text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 80 }), { maxLength: 40 }), fc.nat(3), (lines, stray) => {
        const body = Buffer.from(lines.map((l) => `\t\x1b[1m${l}\x1b[0m`).join('\n'))
        const bytes = Buffer.concat([body, Buffer.from([0xff, 0, 0x80].slice(0, stray)), Buffer.from('x'.repeat(64))])
        expect(sniffText(bytes)).toEqual({ text: true, reason: null })
      })
    )
  })

  it('never throws on arbitrary bytes, and says why when it refuses', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (bytes) => {
        const verdict = sniffText(bytes)
        expect(verdict.text === (verdict.reason === null)).toBe(true)
      })
    )
  })

  it('names the kind of file it refuses when its first bytes tell', () => {
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.from('x'.repeat(100))])
    expect(sniffText(elf).reason).toBe('it is an executable or a core dump (ELF)')
    expect(sniffText(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, 1, 2])).reason).toMatch(/^it is xz-compressed, which Faultline does not decompress/)
    expect(sniffText(Buffer.from('SQLite format 3\0......')).reason).toMatch(/SQLite database/)
    const tar = Buffer.alloc(1024)
    tar.write('app.log', 0)
    tar.write('ustar', 257)
    expect(sniffText(tar).reason).toMatch(/tar archive/)
  })

  it('recognises UTF-16 without a byte-order mark from its zero bytes', () => {
    const text = 'GET /index.html 200 in 12 ms from 10.0.0.1\n'.repeat(3)
    expect(guessUtf16(Buffer.from(text, 'utf16le'))).toBe('utf16le')
    expect(guessUtf16(Buffer.from(text, 'utf16le').swap16())).toBe('utf16be')
    expect(guessUtf16(Buffer.from(text))).toBeNull()
    expect(guessUtf16(Buffer.alloc(4096))).toBeNull()
    expect(guessUtf16(Buffer.from('short', 'utf16le'))).toBeNull()
  })
})
