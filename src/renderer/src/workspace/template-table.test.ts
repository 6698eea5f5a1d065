import { describe, expect, it } from 'vitest'
import type { TemplateRowView } from '../../../shared/api/case-contract.ts'
import {
  defaultTemplateSort,
  filterTemplates,
  mergePlan,
  moveIndex,
  nextSort,
  scrollToReveal,
  sortTemplates,
  splitTarget,
  templateSegments,
  visibleRange
} from './template-table.ts'

const row = (id: number, text: string, count: number, score: number | null, baselineCount: number | null = null, isNew = false): TemplateRowView => ({
  id,
  text,
  count,
  score,
  baselineCount,
  isNew
})

const rows = [
  row(1, 'Receiving block <*>', 900, 0.1, 880),
  row(2, 'PacketResponder <*> terminating', 500, 0.1, 510),
  row(3, 'kernel: Out of memory: Killed process <*>', 3, 0.97, null, true),
  row(4, 'cache miss for key <*>', 40, null, 30),
  row(5, 'upstream timeout', 12, 0.6, 0)
]
const ids = (list: readonly TemplateRowView[]): number[] => list.map((r) => r.id)

describe('sortTemplates', () => {
  it('defaults to score desc, then count desc, missing scores last', () => {
    expect(ids(sortTemplates(rows, defaultTemplateSort))).toEqual([3, 5, 1, 2, 4])
  })

  it('sorts ascending with missing values still last', () => {
    expect(ids(sortTemplates(rows, { key: 'score', dir: 'asc' }))).toEqual([1, 2, 5, 3, 4])
    expect(ids(sortTemplates(rows, { key: 'baseline', dir: 'asc' }))).toEqual([5, 4, 2, 1, 3])
    expect(ids(sortTemplates(rows, { key: 'baseline', dir: 'desc' }))).toEqual([1, 2, 4, 5, 3])
  })

  it('sorts by count, text and the new badge', () => {
    expect(ids(sortTemplates(rows, { key: 'count', dir: 'desc' }))).toEqual([1, 2, 4, 5, 3])
    expect(ids(sortTemplates(rows, { key: 'share', dir: 'asc' }))).toEqual([3, 5, 4, 2, 1])
    expect(ids(sortTemplates(rows, { key: 'text', dir: 'asc' }))).toEqual([4, 3, 2, 1, 5])
    expect(ids(sortTemplates(rows, { key: 'new', dir: 'desc' }))[0]).toBe(3)
  })

  it('does not mutate its input', () => {
    const copy = [...rows]
    sortTemplates(rows, { key: 'text', dir: 'desc' })
    expect(rows).toEqual(copy)
  })

  it('sorts 20,000 rows quickly', () => {
    const many = Array.from({ length: 20_000 }, (_, i) => row(i, `template ${i} <*>`, (i * 7919) % 10_000, i % 3 ? ((i * 31) % 100) / 100 : null))
    const started = performance.now()
    const sorted = sortTemplates(many, defaultTemplateSort)
    expect(performance.now() - started).toBeLessThan(500)
    expect(sorted).toHaveLength(20_000)
  })
})

describe('nextSort', () => {
  it('flips the active column and starts others descending (text ascending)', () => {
    expect(nextSort(defaultTemplateSort, 'score')).toEqual({ key: 'score', dir: 'asc' })
    expect(nextSort(defaultTemplateSort, 'count')).toEqual({ key: 'count', dir: 'desc' })
    expect(nextSort(defaultTemplateSort, 'text')).toEqual({ key: 'text', dir: 'asc' })
  })
})

describe('filterTemplates', () => {
  it('matches substrings case-insensitively, and #id', () => {
    expect(ids(filterTemplates(rows, 'BLOCK'))).toEqual([1])
    expect(ids(filterTemplates(rows, '  <*>  '))).toEqual([1, 2, 3, 4])
    expect(ids(filterTemplates(rows, '#5'))).toEqual([5])
    expect(filterTemplates(rows, '')).toBe(rows)
  })
})

describe('templateSegments', () => {
  it('splits out <*> parameters', () => {
    expect(templateSegments('blk_<*> src: /<*>:<*>')).toEqual([
      { text: 'blk_', param: false },
      { text: '<*>', param: true },
      { text: ' src: /', param: false },
      { text: '<*>', param: true },
      { text: ':', param: false },
      { text: '<*>', param: true }
    ])
    expect(templateSegments('no params')).toEqual([{ text: 'no params', param: false }])
    expect(templateSegments('')).toEqual([])
  })
})

describe('virtual window', () => {
  it('renders the rows in view plus overscan', () => {
    expect(visibleRange(0, 240, 24, 20_000, 5)).toEqual({ first: 0, last: 15 })
    expect(visibleRange(24 * 1000, 240, 24, 20_000, 5)).toEqual({ first: 995, last: 1015 })
    expect(visibleRange(24 * 19_995, 240, 24, 20_000, 5)).toEqual({ first: 19_990, last: 19_999 })
    expect(visibleRange(0, 240, 24, 0)).toEqual({ first: 0, last: -1 })
  })

  it('scrolls just enough to reveal a row', () => {
    expect(scrollToReveal(3, 0, 240, 24)).toBe(0)
    expect(scrollToReveal(10, 0, 240, 24)).toBe(24)
    expect(scrollToReveal(2, 240, 240, 24)).toBe(48)
  })

  it('moves the active row with the keyboard, clamped', () => {
    expect(moveIndex(-1, 'ArrowDown', 10, 5)).toBe(0)
    expect(moveIndex(4, 'ArrowDown', 10, 5)).toBe(5)
    expect(moveIndex(0, 'ArrowUp', 10, 5)).toBe(0)
    expect(moveIndex(8, 'PageDown', 10, 5)).toBe(9)
    expect(moveIndex(3, 'PageUp', 10, 5)).toBe(0)
    expect(moveIndex(3, 'End', 10, 5)).toBe(9)
    expect(moveIndex(3, 'Home', 10, 5)).toBe(0)
    expect(moveIndex(3, 'Home', 0, 5)).toBe(-1)
  })
})

describe('template edits from a selection', () => {
  it('merges into the commonest selected template, and needs two', () => {
    expect(mergePlan(rows, [4, 2, 5])).toEqual({ into: 2, from: [4, 5] })
    expect(mergePlan(rows, [3])).toBeNull()
    expect(mergePlan(rows, [3, 99])).toBeNull()
    expect(mergePlan([row(7, 'a', 5, null), row(6, 'b', 5, null)], [7, 6])).toEqual({ into: 6, from: [7] })
  })

  it('splits only one selected template with a parameter', () => {
    expect(splitTarget(rows, [1])?.id).toBe(1)
    expect(splitTarget(rows, [5])).toBeNull()
    expect(splitTarget(rows, [1, 2])).toBeNull()
    expect(splitTarget(rows, [])).toBeNull()
  })
})
