import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { textMatcher } from '../filter-lines.ts'
import { randomRegex } from '../testing/random-regex.ts'
import { shapeFromJson, shapeToJson, tokenize, variantFromJson, variantToJson } from './line-shape.ts'
import type { LineShape, ShapeVariant } from './line-shape.ts'
import { ShapeBook } from './shape-book.ts'
import { needleOf, ShapeMatcher, verdict } from './shape-match.ts'
import { fold, hasMiddleChar } from './value-grams.ts'
import type { Needle, Verdict } from './shape-match.ts'

/** Files `lines` (template i % templates) and returns the book and each line's variant id. */
function learn(lines: readonly string[], templates = 1, maxChoices?: number): { book: ShapeBook; ids: number[] } {
  const book = new ShapeBook([], [], { maxChoices })
  const ids = lines.map((line, i) => book.assign(line, 0, line.length, i % templates, false))
  return { book, ids }
}

/** The shape and variant a line was filed under. */
function filed(book: ShapeBook, id: number): { shape: LineShape; variant: ShapeVariant } {
  const variant = book.variants[id] as ShapeVariant
  return { shape: book.shapes[variant.shape] as LineShape, variant }
}

function verdictOf(shape: LineShape, filter: LineFilter): Verdict {
  const needle = needleOf(filter)
  return needle ? new ShapeMatcher(shape).verdict(needle) : verdict.maybe
}

const payments = [
  '2026-11-24T15:08:59.408Z WARN  [checkout] Payment for order 49103 failed: upstream timeout after 30000 ms trace=a7f6443a2690943c',
  '2026-11-24T15:08:59.670Z WARN  [checkout] Payment for order 49104 failed: upstream timeout after 30000 ms trace=ecc5011b3623edf2',
  '2026-11-24T15:09:00.062Z WARN  [checkout] Payment for order 49107 failed: upstream timeout after 30000 ms trace=d428bd5742217e27'
]

describe('line shapes', () => {
  it('keep what every line has: constant tokens, common prefixes and suffixes, few values as choices', () => {
    const { book, ids } = learn(payments)
    // One shape; a variant per order number (the slot's values are few).
    expect(ids.map((id) => filed(book, id).variant.shape)).toEqual([0, 0, 0])
    expect(new Set(ids).size).toBe(3)
    const shape = book.shapes[0] as LineShape
    const slots = shape.slots
    expect(slots[0]).toMatchObject({ exact: false, prefix: '2026-11-24T15:0', suffix: 'Z' })
    expect(slots[1]).toMatchObject({ exact: true, prefix: 'WARN' })
    expect(shape.seps[2]).toBe('  ')
    expect(slots[6]).toMatchObject({ exact: false, prefix: '4910', choices: ['49103', '49104', '49107'] })
    expect(slots.at(-1)).toMatchObject({ exact: false, prefix: 'trace=' })
  })

  it('file lines alike after being stored and read back, as a resumed index does', () => {
    const unit = fc.constantFrom('a', 'b', '1', ' ', '=')
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 8 }), { minLength: 1, maxLength: 30 }), fc.nat(), fc.integer({ min: 0, max: 3 }), (lines, cut, maxChoices) => {
        const at = cut % lines.length
        const straight = learn(lines, 2, maxChoices)
        const first = learn(lines.slice(0, at), 2, maxChoices)
        const resumed = new ShapeBook(
          first.book.shapes.map((shape) => shapeFromJson(shapeToJson(shape))),
          first.book.variants.map((variant) => variantFromJson(variantToJson(variant))),
          { maxChoices }
        )
        const rest = lines.slice(at).map((line, i) => resumed.assign(line, 0, line.length, (at + i) % 2, false))
        expect([...first.ids, ...rest]).toEqual(straight.ids)
        expect(resumed.variants.map((variant) => variant.key)).toEqual(straight.book.variants.map((variant) => variant.key))
      }),
      { numRuns: 300 }
    )
  })

  it('tell which searches every line matches, which none can, and which need the text', () => {
    const { book, ids } = learn(payments)
    const shape = book.shapes[0] as LineShape
    expect(verdictOf(shape, { text: 'upstream timeout' })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'UPSTREAM Timeout' })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'UPSTREAM Timeout', caseSensitive: true })).toBe(verdict.never)
    expect(verdictOf(shape, { text: 'WARN  [checkout]' })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'trace=' })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'timed out' })).toBe(verdict.never)
    // A trace id might be any value of the hex slot; "xyz" is in none.
    expect(verdictOf(shape, { text: 'ecc5011b' })).toBe(verdict.maybe)
    expect(verdictOf(shape, { text: 'trace=xyz' })).toBe(verdict.never)
    expect(verdictOf(shape, { text: 'order 4910' })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'order 49105' })).toBe(verdict.never)
    expect(verdictOf(shape, { text: 'order 49104 failed' })).toBe(verdict.maybe)
    // Regexes by the texts they need, and by matching the constant stretches themselves.
    expect(verdictOf(shape, { text: 'refused \\d+', regex: true })).toBe(verdict.never)
    expect(verdictOf(shape, { text: 'upstream timeout', regex: true })).toBe(verdict.always)
    expect(verdictOf(shape, { text: '(WARN|ERROR)  \\[\\w+\\]', regex: true })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'after \\d+ ms', regex: true })).toBe(verdict.always)
    expect(verdictOf(shape, { text: '^\\S+ (INFO|ERROR)', regex: true })).toBe(verdict.never)
    expect(verdictOf(shape, { text: '^\\S+ (WARN|ERROR)', regex: true })).toBe(verdict.always)
    expect(verdictOf(shape, { text: '^\\S+ (WARN|ERROR)$', regex: true })).toBe(verdict.maybe)
    expect(verdictOf(shape, { text: 'ms trace=\\w+$', regex: true })).toBe(verdict.always)
    expect(verdictOf(shape, { text: '\\bafter \\d+ ms', regex: true })).toBe(verdict.maybe)
    // A plain regex lined up over the order numbers: all digits, whatever they are.
    expect(verdictOf(shape, { text: 'order \\d+ failed', regex: true })).toBe(verdict.always)
    expect(verdictOf(shape, { text: 'order \\d{5} failed', regex: true })).toBe(verdict.maybe)
    expect(verdictOf(shape, { text: 'order [1-9]+ failed', regex: true })).toBe(verdict.maybe)
    expect(verdictOf(shape, { text: 'trace=[0-9a-f]+$', regex: true })).toBe(verdict.always)
    const many = learn(payments, 1, 0).book.shapes[0] as LineShape
    expect(verdictOf(many, { text: 'order \\d+ failed', regex: true })).toBe(verdict.always)
    expect(verdictOf(many, { text: 'trace=[0-9a-f]+', regex: true })).toBe(verdict.always)
    expect(verdictOf(many, { text: 'trace=[0-9]+', regex: true })).toBe(verdict.maybe)
    // The same after thousands of lines (bitmaps crowding, choices given up).
    const thousands = Array.from({ length: 3_000 }, (_, i) => (payments[i % 3] as string).replace('4910', String(10_000 + i * 7)).replace(/trace=\w+/, `trace=${(i * 2_654_435_761).toString(16)}`))
    const big = learn(thousands).book.shapes[0] as LineShape
    expect(verdictOf(big, { text: 'order \\d+ failed', regex: true })).toBe(verdict.always)
    expect(verdictOf(big, { text: 'trace=[0-9a-f]+', regex: true })).toBe(verdict.always)
    expect(verdictOf(big, { text: 'timed out' })).toBe(verdict.never)
    // The bitmaps fold case: a letter there may have been either, which a case-sensitive class must take both of.
    const cased = learn(['ask id=1 K', 'ask id=K1 K'], 1, 0).book.shapes[0] as LineShape
    expect(verdictOf(cased, { text: 'id=[a-z]*1 K', regex: true, caseSensitive: true })).toBe(verdict.maybe)
    expect(verdictOf(cased, { text: 'id=[a-zA-Z]*1 K', regex: true, caseSensitive: true })).toBe(verdict.always)
    // A variant knows its values: the one line with order 49104 is sure, the others ruled out.
    const variants = ids.map((id) => filed(book, id))
    const judged = variants.map(({ variant }) => new ShapeMatcher(shape, variant.fixed).verdict(needleOf({ text: 'order 49104 failed' }) as Needle))
    expect(judged).toEqual([verdict.never, verdict.always, verdict.never])
  })

  it('file every line under a shape it fits', () => {
    const unit = fc.constantFrom('a', 'b', 'K', 's', 'ſ', 'İ', 'Σ', '1', ':', '=', ' ', ' ', '\t', '😀')
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 12 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 3 }), (lines, maxChoices) => {
        const { book, ids } = learn(lines, 2, maxChoices)
        const bounds = new Int32Array(64)
        lines.forEach((line, i) => {
          const { shape, variant } = filed(book, ids[i] as number)
          const n = tokenize(line, 0, line.length, bounds)
          expect(n).toBe(shape.slots.length)
          shape.slots.forEach((slot, j) => {
            const value = line.slice(bounds[2 * j], bounds[2 * j + 1])
            const fixed = variant.fixed?.[j]
            if (typeof fixed === 'string') expect(value).toBe(fixed)
            if (slot.exact) expect(value).toBe(slot.prefix)
            expect(value.startsWith(slot.prefix) && value.endsWith(slot.suffix)).toBe(true)
            expect(value.length).toBeGreaterThanOrEqual(slot.prefix.length + slot.suffix.length)
            if (slot.choices) expect(slot.choices).toContain(value)
            // Every character of the middle is in the middle's bitmap (folded).
            const middle = fold(value.slice(slot.prefix.length, value.length - slot.suffix.length))
            if (!slot.exact) for (let k = 0; k < middle.length; k++) expect(hasMiddleChar(slot.grams as Uint32Array, middle.charCodeAt(k)), `'${middle[k]}' of "${value}"`).toBe(true)
          })
          shape.seps.forEach((sep, j) => {
            if (sep === null) return
            const from = j === 0 ? 0 : (bounds[2 * j - 1] as number)
            const to = j === n ? line.length : (bounds[2 * j] as number)
            expect(line.slice(from, to)).toBe(sep)
          })
        })
      }),
      { numRuns: 300 }
    )
  })

  it('never say "always" of a line that does not match, nor "never" of one that does', () => {
    // Letters that case folding treats specially (long s, Kelvin sign, dotted I, final sigma),
    // an astral character, separators.
    const unit = fc.constantFrom('a', 'k', 'K', '\u212a', 's', 'S', 'ſ', 'İ', 'i', 'σ', 'Σ', 'ς', '1', '2', ' ', ' ', '\t', '😀')
    const lines = fc.array(
      fc.oneof(
        fc.string({ unit, maxLength: 10 }),
        // Lines of one pattern, so shapes with constants, prefixes and choices form.
        fc.tuple(fc.string({ unit: fc.constantFrom('a', 'k', 'K', 's', 'İ', 'Σ', '1'), maxLength: 3 }), fc.constantFrom(' ', '  ')).map(([v, sep]) => `ask${sep}id=${v}1 Kſ`)
      ),
      { minLength: 1, maxLength: 30 }
    )
    const search = fc.oneof(
      fc.record({ text: fc.string({ unit, minLength: 1, maxLength: 5 }), regex: fc.constant(false) }),
      fc.record({ text: randomRegex(['a', 'k', 'K', 's', 'ſ', '1', ' ', 'id=', '\\d', '\\w', '\\S', '.', '[a-k]', '[^ ]', 'Kſ']), regex: fc.constant(true) }),
      fc.record({
        text: fc.constantFrom(
          ...['ks', 'k.s', 'sk+', 'a?ks', 'Kss', 'iks', 's{2}k', '(ak)?ss', 'k|s', '[ak]ss', '^sk', 'sk$', '\\d+ss', 'i̇k', 'σk', 'ΣK', 'ask', 'id=a'],
          // Plain regexes that line up over a variable token (or not).
          ...['d=\\w+1 K', 'id=\\w*1', 'id=[a-z]+1', 'id=[^ ]+ K', 'K\\s+i', '\\d{2}', 'a.k', 'id=.+1', 'id=[ks1]+ ', 'd=(k|s)+1', '=\\S{2,}'],
          ...['^ask\\s+id', '^\\S+ id=(k|1)', 'Kſ$', '^\\w+', '1 K.$', '^.*$', '^(ask|k)', '(a|k)$', 'id=\\w{0,2}1 ', 'id=[a-z]{1,2}1', 'id=[a-z]*1 K']
        ),
        regex: fc.constant(true)
      })
    )
    fc.assert(
      // Few choices (or none), so that variable middles form in a few lines.
      fc.property(lines, search, fc.boolean(), fc.option(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 6 }), fc.boolean()), { nil: undefined }), fc.integer({ min: 0, max: 3 }), (texts, drawn, caseSensitive, piece, maxChoices) => {
        let filter: LineFilter = { ...drawn, caseSensitive }
        if (piece) {
          // A piece of a line (often a case variant), as plain text or a regex-escaped literal.
          const [which, at, length, asRegex] = piece
          const line = texts[which % texts.length] as string
          const start = at % Math.max(1, line.length)
          const variant = Array.from(line.slice(start, start + length), (c, i) => (i % 2 ? c : ({ s: 'ſ', k: 'K', K: 'k', σ: 'Σ', i: 'I' } as Record<string, string>)[c] ?? c)).join('')
          if (variant.length > 0) filter = { text: asRegex ? variant.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&') : variant, regex: asRegex, caseSensitive }
        }
        const { book, ids } = learn(texts, 2, maxChoices)
        // Shapes and variants as stored and read back: what a search really uses.
        const shapes = book.shapes.map((shape) => shapeFromJson(shapeToJson(shape)))
        const matchers = book.variants.map((stored) => {
          const variant = variantFromJson(variantToJson(stored))
          return new ShapeMatcher(shapes[variant.shape] as LineShape, variant.fixed)
        })
        // The shape as a whole must be right about every line too (it answers for all its variants).
        const wholes = shapes.map((shape) => new ShapeMatcher(shape))
        const needle = needleOf(filter)
        if (!needle) return
        const matches = textMatcher(filter.text ?? '', filter.regex ?? false, caseSensitive)
        texts.forEach((line, i) => {
          const id = ids[i] as number
          for (const matcher of [matchers[id], wholes[(book.variants[id] as ShapeVariant).shape]] as ShapeMatcher[]) {
            const v = matcher.verdict(needle)
            if (v === verdict.always) expect(matches(line), `"${line}" is said to match ${JSON.stringify(filter)}`).toBe(true)
            if (v === verdict.never) expect(matches(line), `"${line}" is said not to match ${JSON.stringify(filter)}`).toBe(false)
          }
        })
      }),
      { numRuns: 2000 }
    )
  })
})
