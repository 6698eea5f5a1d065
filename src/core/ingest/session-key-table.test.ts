import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SessionKeyTable } from './session-key-table.ts'
import { asciiBytes } from '../read/batch-text.ts'

describe('SessionKeyTable', () => {
  it('gives ids in order of first appearance and finds keys where they stand in a text', () => {
    const table = new SessionKeyTable()
    const text = 'trace=abc123 user=u-1 trace=abc123'
    expect(table.find(text, 6, 12)).toBe(-1)
    expect(table.add(text, 6, 12)).toBe(0)
    expect(table.add(text, 18, 21)).toBe(1)
    expect(table.find(text, 28, 34)).toBe(0)
    expect(table.key(0)).toBe('abc123')
    expect(table.key(1)).toBe('u-1')
    expect(table.size).toBe(2)
  })

  it('behaves as a Map for any keys, wide characters and long keys included', () => {
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }), fc.constantFrom('x'.repeat(70_000), 'é-1', 'ü'))
    fc.assert(
      fc.property(fc.array(key, { maxLength: 300 }), (keys) => {
        const table = new SessionKeyTable()
        const map = new Map<string, number>()
        for (const k of keys) {
          const text = `<${k}>`
          const found = table.find(text, 1, k.length + 1)
          expect(found).toBe(map.get(k) ?? -1)
          if (found < 0) {
            map.set(k, map.size)
            expect(table.add(text, 1, k.length + 1)).toBe(map.size - 1)
          }
        }
        expect(table.size).toBe(map.size)
        for (const [k, id] of map) expect(table.key(id)).toBe(k)
      }),
      { numRuns: 200 }
    )
  })

  it('finds a key whichever form its text comes in: a string, or ASCII bytes (see batch-text.ts)', () => {
    const key = fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.stringMatching(/^[ -~]{1,12}$/))
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.boolean()), { maxLength: 300 }), (entries) => {
        const table = new SessionKeyTable()
        const map = new Map<string, number>()
        for (const [k, asBytes] of entries) {
          const text = asBytes ? asciiBytes(`<${k}>`) : `<${k}>`
          const found = table.find(text, 1, k.length + 1)
          expect(found).toBe(map.get(k) ?? -1)
          if (found < 0) {
            map.set(k, map.size)
            expect(table.add(text, 1, k.length + 1)).toBe(map.size - 1)
          }
        }
        for (const [k, id] of map) expect(table.key(id)).toBe(k)
      }),
      { numRuns: 200 }
    )
  })

  it('keeps every key across growth to many thousands', () => {
    const table = new SessionKeyTable()
    for (let i = 0; i < 50_000; i++) table.addKey(`req-${i.toString(16)}`)
    for (let i = 0; i < 50_000; i += 997) {
      const k = `req-${i.toString(16)}`
      expect(table.find(k, 0, k.length)).toBe(i)
      expect(table.key(i)).toBe(k)
    }
    expect(table.find('req-none', 0, 8)).toBe(-1)
  })
})
