import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { regexNeeds } from './regex-literals.ts'
import { randomRegex } from './testing/random-regex.ts'

const pattern = randomRegex(['a', 'b', 'c', ' ', '\\.', '.', '\\d', '[ab]', '[^a]', '\\s', 'A'])

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

  it('spells plain patterns out as sequences of characters and classes', () => {
    const shown = (pattern: string): string[] | null =>
      regexNeeds(pattern).sequences?.map(
        ({ steps, start, end }) =>
          (start ? '^' : '') + steps.map((step) => (step.kind === 'char' ? String.fromCharCode(step.code) : `<${step.raw}${step.min},${step.max}>`)).join('') + (end ? '$' : '')
      ) ?? null
    expect(shown('order \\d+ failed')).toEqual(['order <\\d1,Infinity> failed'])
    expect(shown('^\\S+ (WARN|ERROR)')).toEqual(['^<\\S1,Infinity> WARN', '^<\\S1,Infinity> ERROR'])
    expect(shown('a{2,3}b?$|c')).toEqual(['<a2,3><b0,1>$', 'c'])
    expect(shown('\\bword')).toBeNull()
    expect(shown('(ab)+')).toBeNull()
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
