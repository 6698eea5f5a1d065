import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { asciiBytes, batchBytes, recycleBatchBuffer, sliceText, textTransferables } from './batch-text.ts'

describe('batch text', () => {
  it('is bytes exactly when every character is ASCII, and slices as the string does', () => {
    const text = fc.oneof(fc.string({ unit: fc.constantFrom('a', ' ', '\n', '~', '\x7f', '\0') }), fc.string({ unit: 'binary', maxLength: 20 }))
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(), (s, a, b) => {
        const t = asciiBytes(s)
        expect(typeof t !== 'string').toBe(s.length > 0 && [...s].every((c) => c.charCodeAt(0) < 128))
        const [from, to] = [a % (s.length + 1), b % (s.length + 1)].sort((x, y) => x - y) as [number, number]
        expect(sliceText(t, from, to)).toBe(s.slice(from, to))
      })
    )
  })

  it('keeps bytes in a buffer of their own, so a transfer takes nothing else with it', () => {
    const short = asciiBytes('a short line\n')
    expect(typeof short).not.toBe('string')
    const [buffer] = textTransferables(short)
    expect(buffer?.byteLength).toBe(13)
    expect(textTransferables('é')).toEqual([])
    // A transfer detaches the buffer: any other text sharing it would be lost.
    const other = asciiBytes('another line\n')
    structuredClone(short, { transfer: textTransferables(short) })
    expect(sliceText(other, 0, 7)).toBe('another')
  })

  it('writes a batch into a buffer that came back when one fits, and keeps none too small to fit a batch', () => {
    const first = batchBytes(1_000_000)
    expect(first.length).toBe(1_000_000)
    const small = new ArrayBuffer(1_000)
    recycleBatchBuffer(small)
    recycleBatchBuffer(first.buffer as ArrayBuffer)
    const next = batchBytes(1_000_100)
    expect(next.buffer === first.buffer).toBe(true)
    expect(next.length).toBe(1_000_100)
    // The small one was not kept: the next batch gets new memory.
    expect(batchBytes(10).buffer === small).toBe(false)
  })
})
