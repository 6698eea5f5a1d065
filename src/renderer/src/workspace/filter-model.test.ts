import { describe, expect, it } from 'vitest'
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { isEmptyFilter } from '../../../shared/case/line-filter.ts'
import {
  applyContext,
  applyMinScore,
  applyText,
  deriveChips,
  parseContext,
  regexError,
  removeChip,
  sameFilter,
  sameTextQuery,
  textQueryOf,
  toggleLevel,
  toggleLevels,
  withoutFields
} from './filter-model.ts'

const texts: Record<number, string> = {
  7: 'Receiving block <*> src: /<*>:<*> dest: /<*>:<*>',
  9: 'upstream timeout'
}
const templateText = (id: number): string => texts[id] ?? ''
const t = (iso: string): number => Date.parse(iso)
const labels = (filter: LineFilter): string[] => deriveChips(filter, templateText).map((chip) => chip.label)

describe('deriveChips', () => {
  it('has no chips for an empty filter', () => {
    expect(deriveChips({}, templateText)).toEqual([])
    expect(deriveChips({ regex: true, caseSensitive: true, context: 0, minScore: 0, levels: [], templates: [] }, templateText)).toEqual([])
  })

  it('describes every kind of filter, in bar order', () => {
    const filter: LineFilter = {
      context: 3,
      toTs: t('2026-11-25T15:11:30Z'),
      fromTs: t('2026-11-25T15:08:00Z'),
      text: 'timeout',
      regex: true,
      templates: [7],
      levels: [7, 6],
      minScore: 0.5
    }
    expect(labels(filter)).toEqual([
      'score ≥ 0.50',
      'level: error, fatal',
      'template: "Receiving block <*> src…"',
      'text: /timeout/i',
      'time: 15:08:00–15:11:30',
      '±3 lines'
    ])
    expect(deriveChips(filter, templateText).map((chip) => chip.key)).toEqual(['minScore', 'levels', 'template:7', 'text', 'time', 'context'])
  })

  it('keeps the full text in the title when the label is shortened', () => {
    const [chip] = deriveChips({ templates: [7] }, templateText)
    expect(chip?.title).toBe(texts[7])
  })

  it('spells plain and case-sensitive text searches', () => {
    expect(labels({ text: 'timeout' })).toEqual(['text: "timeout"'])
    expect(labels({ text: 'Timeout', caseSensitive: true })).toEqual(['text: "Timeout" (match case)'])
    expect(labels({ text: 'time.*out', regex: true, caseSensitive: true })).toEqual(['text: /time.*out/'])
  })

  it('gives a few templates a chip each and many one chip', () => {
    expect(labels({ templates: [7, 9, 12] })).toEqual(['template: "Receiving block <*> src…"', 'template: "upstream timeout"', 'template #12'])
    expect(labels({ templates: [1, 2, 3, 4, 5] })).toEqual(['templates: 5 selected'])
    expect(labels({ sessions: [4] })).toEqual(['session #4'])
    expect(labels({ sessions: [1, 2, 3, 4] })).toEqual(['sessions: 4 selected'])
  })

  it('shows open time ranges and dates across midnight', () => {
    expect(labels({ fromTs: t('2026-11-25T15:08:00Z') })).toEqual(['time: ≥ 15:08:00'])
    expect(labels({ fromTs: t('2026-11-25T23:58:00Z'), toTs: t('2026-11-26T00:01:00Z') })).toEqual([
      'time: 2026-11-25 23:58:00–2026-11-26 00:01:00'
    ])
  })

  it('says line for one line of context', () => {
    expect(labels({ context: 1 })).toEqual(['±1 line'])
  })
})

describe('removeChip', () => {
  const full: LineFilter = {
    minScore: 0.5,
    levels: [6, 7],
    templates: [7, 9],
    sessions: [2],
    text: 'timeout',
    regex: true,
    caseSensitive: true,
    fromTs: 1,
    toTs: 2,
    context: 3
  }

  it('removes exactly the field behind each chip', () => {
    expect(removeChip(full, 'minScore')).not.toHaveProperty('minScore')
    expect(removeChip(full, 'levels')).not.toHaveProperty('levels')
    expect(removeChip(full, 'context')).not.toHaveProperty('context')
    const noTime = removeChip(full, 'time')
    expect(noTime).not.toHaveProperty('fromTs')
    expect(noTime).not.toHaveProperty('toTs')
    const noText = removeChip(full, 'text')
    expect(Object.keys(noText)).not.toEqual(expect.arrayContaining(['text']))
    expect(noText).not.toHaveProperty('regex')
    expect(noText).not.toHaveProperty('caseSensitive')
    expect(removeChip(full, 'minScore')).toMatchObject({ levels: [6, 7], context: 3, text: 'timeout' })
  })

  it('removes one template at a time, and the field with the last', () => {
    const one = removeChip(full, 'template:7')
    expect(one.templates).toEqual([9])
    expect(removeChip(one, 'template:9')).not.toHaveProperty('templates')
    expect(removeChip(full, 'templates')).not.toHaveProperty('templates')
    expect(removeChip(full, 'session:2')).not.toHaveProperty('sessions')
  })

  it('does not mutate the filter, and ignores unknown keys', () => {
    const copy = structuredClone(full)
    removeChip(full, 'levels')
    removeChip(full, 'template:7')
    expect(full).toEqual(copy)
    expect(removeChip(full, 'nope')).toBe(full)
  })

  it('empties the filter when every chip is removed', () => {
    let filter = full
    for (const chip of deriveChips(full, templateText)) filter = removeChip(filter, chip.key)
    expect(filter).toEqual({})
    expect(isEmptyFilter(filter)).toBe(true)
  })
})

describe('control edits', () => {
  it('sets and clears the min score', () => {
    expect(applyMinScore({}, 0.5)).toEqual({ minScore: 0.5 })
    expect(applyMinScore({ minScore: 0.5 }, 0)).toEqual({})
    expect(applyMinScore({}, 0.35000000001)).toEqual({ minScore: 0.35 })
  })

  it('toggles levels and drops the field when none is left', () => {
    expect(toggleLevels).toEqual(['trace', 'debug', 'info', 'notice', 'warn', 'error', 'fatal'])
    expect(toggleLevel({}, 'fatal')).toEqual({ levels: [7] })
    expect(toggleLevel({ levels: [7] }, 'error')).toEqual({ levels: [6, 7] })
    expect(toggleLevel({ levels: [6, 7] }, 'error')).toEqual({ levels: [7] })
    expect(toggleLevel({ levels: [7] }, 'fatal')).toEqual({})
  })

  it('stores the regex and case toggles only with some text', () => {
    expect(applyText({ context: 2 }, { text: 'x', regex: true, caseSensitive: false })).toEqual({ context: 2, text: 'x', regex: true })
    expect(applyText({ text: 'x', regex: true }, { text: '', regex: true, caseSensitive: true })).toEqual({})
    expect(textQueryOf({ text: 'x', caseSensitive: true })).toEqual({ text: 'x', regex: false, caseSensitive: true })
    expect(sameTextQuery({ text: '', regex: true, caseSensitive: false }, { text: '', regex: false, caseSensitive: false })).toBe(true)
    expect(sameTextQuery({ text: 'a', regex: true, caseSensitive: false }, { text: 'a', regex: false, caseSensitive: false })).toBe(false)
  })

  it('reports invalid regular expressions with the engine flags', () => {
    expect(regexError('time(out', false)).toMatch(/^Invalid regular expression: .+/)
    expect(regexError('timeout|error', false)).toBeNull()
    expect(regexError('', false)).toBeNull()
    // Valid without the u flag but rejected with it, as the engine compiles it.
    expect(regexError('\\-', false)).not.toBeNull()
  })

  it('parses and clamps the context box', () => {
    expect(parseContext('')).toBe(0)
    expect(parseContext('3')).toBe(3)
    expect(parseContext('99')).toBe(50)
    expect(parseContext('-2')).toBe(0)
    expect(parseContext('abc')).toBeNull()
    expect(applyContext({ context: 3 }, 0)).toEqual({})
    expect(applyContext({}, 4)).toEqual({ context: 4 })
  })

  it('compares filters structurally', () => {
    expect(sameFilter({ levels: [6, 7], text: 'a' }, { text: 'a', levels: [6, 7] })).toBe(true)
    expect(sameFilter({ levels: [6, 7] }, { levels: [7, 6] })).toBe(false)
    expect(sameFilter({ fromTs: undefined }, {})).toBe(true)
    expect(withoutFields({ fromTs: undefined, toTs: 3 })).toEqual({ toTs: 3 })
  })
})
