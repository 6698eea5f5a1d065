/**
 * Property tests for the masker and miner on hostile text (issue #9): any Unicode, control
 * characters, NULs and markup. They never throw, are deterministic, and every line mined is
 * accounted for by exactly one template.
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { maskContent, TemplateMiner } from './index.ts'

const hostileLine = fc.oneof(
  fc.string({ maxLength: 100, unit: 'binary' }),
  fc.array(fc.oneof(fc.constantFrom('user', 'id=7', '42', '0x1f', '\x1b[0m', '\0', '<img onerror=x>', '\u202E', '𝄞', '=', '"'), fc.string({ maxLength: 6, unit: 'binary' })), { maxLength: 12 }).map((p) => p.join(' '))
)

describe('masker and miner on hostile text', () => {
  it('masks anything without throwing, the same way twice', () => {
    fc.assert(
      fc.property(hostileLine, (line) => {
        expect(maskContent(line)).toBe(maskContent(line))
      }),
      { numRuns: 2_000 }
    )
  })

  it('mines anything without throwing, deterministically, each line counted under one template', () => {
    fc.assert(
      fc.property(fc.array(hostileLine, { maxLength: 150 }), (lines) => {
        const mine = (): { ids: number[]; miner: TemplateMiner } => {
          const miner = new TemplateMiner({ compactEvery: 20, maxTemplates: 30 })
          return { ids: lines.map((l) => miner.add(l)), miner }
        }
        const a = mine()
        const b = mine()
        expect(a.ids).toEqual(b.ids)
        const perTemplate = new Map<number, number>()
        lines.forEach((line, i) => {
          const id = a.miner.resolve(a.ids[i] as number)
          expect(typeof a.miner.template(id).text).toBe('string')
          expect(Array.isArray(a.miner.params(id, line))).toBe(true)
          perTemplate.set(id, (perTemplate.get(id) ?? 0) + 1)
        })
        expect([...perTemplate.values()].reduce((n, c) => n + c, 0)).toBe(lines.length)
      }),
      { numRuns: 150 }
    )
  })
})
