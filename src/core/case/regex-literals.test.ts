import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { regexNeeds } from './regex-literals.ts'

/** Small regexes over a tiny alphabet, so that random lines match them often. */
const pattern: fc.Arbitrary<string> = fc.letrec<{ node: string; atom: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'c', ' ', '\\.', '.', '\\d', '[ab]', '[^a]', '\\s', 'A'),
    tie('node').map((inner) => `(${inner})`),
    tie('node').map((inner) => `(?:${inner})`)
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    fc
      .array(fc.tuple(tie('atom'), fc.constantFrom('', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}')), { maxLength: 4 })
      .map((parts: [string, string][]) => parts.map(([atom, quantifier]) => atom + quantifier).join('')),
    fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a}|${b}`),
    fc.tuple(fc.constantFrom('^', '$', '\\b', '(?=a)', '(?<!b)'), tie('node')).map(([a, b]) => a + b)
  )
})).node

const line = fc.string({ unit: fc.constantFrom('a', 'b', 'c', ' ', '.', '1', 'A'), maxLength: 12 })

describe('what a regex needs', () => {
  it('reads texts from the syntax: runs, alternatives, classes, optional parts', () => {
    expect(regexNeeds('timeout.*db').clauses).toEqual([['timeout'], ['db']])
    expect(regexNeeds('order \\d+ failed').clauses).toEqual([['order '], [' failed']])
    expect(regexNeeds('colou?r').clauses).toEqual([['colo'], ['r']])
    expect(regexNeeds('^\\S+ (WARN|ERROR) \\[').clauses).toEqual([[' WARN [', ' ERROR [']])
    expect(regexNeeds('timed out|refused').clauses).toEqual([['timed out', 'refused']])
    expect(regexNeeds('[Ee]rror').clauses).toEqual([['Error', 'error']])
    expect(regexNeeds('(ab)+c').clauses).toEqual([['ab'], ['c']])
    expect(regexNeeds('a|\\d').clauses).toEqual([])
    expect(regexNeeds('\\p{L}+abc\\u{1F600}def').clauses).toEqual([['abc😀def']])
    expect(regexNeeds('(').clauses).toEqual([])
  })

  it('tells a pattern that reads its surroundings from one that does not', () => {
    expect(regexNeeds('order \\d+ failed').contextFree).toBe(true)
    expect(regexNeeds('^order').contextFree).toBe(false)
    expect(regexNeeds('\\bid\\b').contextFree).toBe(false)
    expect(regexNeeds('a(?=b)').contextFree).toBe(false)
  })

  it('never needs a text that a matching line lacks', () => {
    fc.assert(
      fc.property(pattern, fc.array(line, { maxLength: 20 }), fc.boolean(), (source, lines, ignoreCase) => {
        let regex: RegExp
        try {
          regex = new RegExp(source, ignoreCase ? 'iu' : 'u')
        } catch {
          return
        }
        const { clauses } = regexNeeds(source)
        const holds = (text: string, needed: string): boolean => (ignoreCase ? text.toLowerCase().includes(needed.toLowerCase()) : text.includes(needed))
        for (const text of lines) {
          if (!regex.test(text)) continue
          for (const clause of clauses) expect(clause.some((needed) => holds(text, needed)), `/${source}/ matches "${text}" without any of ${JSON.stringify(clause)}`).toBe(true)
        }
      }),
      { numRuns: 3000 }
    )
  })

  it('calls context-free only patterns whose matches stay matches within any line', () => {
    fc.assert(
      fc.property(pattern, line, line, line, (source, text, before, after) => {
        let regex: RegExp
        try {
          regex = new RegExp(source, 'u')
        } catch {
          return
        }
        if (regexNeeds(source).contextFree && regex.test(text)) expect(regex.test(before + text + after)).toBe(true)
      }),
      { numRuns: 3000 }
    )
  })
})
