/** The templates panel's pure logic: sorting, filtering, parameter highlighting and the visible window. */
import type { TemplateRowView } from '../../../shared/api/case-contract.ts'

export type TemplateSortKey = 'text' | 'count' | 'share' | 'baseline' | 'new' | 'score'
export type SortDirection = 'asc' | 'desc'
export interface TemplateSort {
  key: TemplateSortKey
  dir: SortDirection
}

/** Most suspicious first, then most frequent. */
export const defaultTemplateSort: TemplateSort = { key: 'score', dir: 'desc' }

/** Clicking the sorted column flips it; another column starts descending (text: ascending). */
export function nextSort(current: TemplateSort, key: TemplateSortKey): TemplateSort {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' }
  return { key, dir: key === 'text' ? 'asc' : 'desc' }
}

type Value = (row: TemplateRowView) => number | string | null

const valueOf: Record<TemplateSortKey, Value> = {
  text: (row) => row.text,
  count: (row) => row.count,
  share: (row) => row.count,
  baseline: (row) => row.baselineCount,
  new: (row) => (row.isNew ? 1 : 0),
  score: (row) => row.score
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true })

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'string' && typeof b === 'string') return collator.compare(a, b)
  return (a as number) - (b as number)
}

/** Ties: score desc, count desc, id asc, so the order is stable and meaningful whatever the column. */
function tieBreak(a: TemplateRowView, b: TemplateRowView): number {
  const sa = a.score ?? Number.NEGATIVE_INFINITY
  const sb = b.score ?? Number.NEGATIVE_INFINITY
  if (sa !== sb) return sb - sa
  if (a.count !== b.count) return b.count - a.count
  return a.id - b.id
}

/** Sorted copy. Missing values (no score, no baseline) go last in either direction. */
export function sortTemplates(rows: readonly TemplateRowView[], sort: TemplateSort): TemplateRowView[] {
  const value = valueOf[sort.key]
  const sign = sort.dir === 'asc' ? 1 : -1
  return [...rows].sort((a, b) => {
    const va = value(a)
    const vb = value(b)
    if (va === null || vb === null) {
      if (va !== vb) return va === null ? 1 : -1
      return tieBreak(a, b)
    }
    const c = compareValues(va, vb)
    return c !== 0 ? sign * c : tieBreak(a, b)
  })
}

/** Case-insensitive substring filter on the template text; `#12` finds template id 12. */
export function filterTemplates(rows: readonly TemplateRowView[], query: string): readonly TemplateRowView[] {
  const q = query.trim()
  if (!q) return rows
  const byId = /^#(\d+)$/.exec(q)
  if (byId) {
    const id = Number(byId[1])
    return rows.filter((row) => row.id === id)
  }
  const needle = q.toLowerCase()
  return rows.filter((row) => row.text.toLowerCase().includes(needle))
}

export interface TextSegment {
  text: string
  param: boolean
}

export const PARAM_TOKEN = '<*>'

/** Splits a template into literal text and `<*>` parameters, for highlighting. */
export function templateSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = []
  let from = 0
  for (let at = text.indexOf(PARAM_TOKEN); at >= 0; at = text.indexOf(PARAM_TOKEN, from)) {
    if (at > from) segments.push({ text: text.slice(from, at), param: false })
    segments.push({ text: PARAM_TOKEN, param: true })
    from = at + PARAM_TOKEN.length
  }
  if (from < text.length) segments.push({ text: text.slice(from), param: false })
  return segments
}

/** Rows to render for a fixed row height: those in view plus `overscan` on each side. */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
  overscan = 8
): { first: number; last: number } {
  if (count <= 0) return { first: 0, last: -1 }
  const first = Math.max(0, Math.floor(Math.max(0, scrollTop) / rowHeight) - overscan)
  const last = Math.min(count - 1, Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight) + overscan)
  return { first: Math.min(first, count - 1), last }
}

/** The scrollTop that brings row `index` fully into view, or the current one when it already is. */
export function scrollToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight
  const bottom = top + rowHeight
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight)
  return scrollTop
}

export type NavKey = 'ArrowDown' | 'ArrowUp' | 'PageDown' | 'PageUp' | 'Home' | 'End'

export function isNavKey(key: string): key is NavKey {
  return key === 'ArrowDown' || key === 'ArrowUp' || key === 'PageDown' || key === 'PageUp' || key === 'Home' || key === 'End'
}

/** The row index a navigation key moves to; `current` -1 means none active yet. */
export function moveIndex(current: number, key: NavKey, count: number, pageSize: number): number {
  if (count <= 0) return -1
  const page = Math.max(1, pageSize)
  let next: number
  switch (key) {
    case 'ArrowDown':
      next = current < 0 ? 0 : current + 1
      break
    case 'ArrowUp':
      next = current < 0 ? 0 : current - 1
      break
    case 'PageDown':
      next = current < 0 ? 0 : current + page
      break
    case 'PageUp':
      next = current < 0 ? 0 : current - page
      break
    case 'Home':
      next = 0
      break
    case 'End':
      next = count - 1
      break
  }
  return Math.min(count - 1, Math.max(0, next))
}

/**
 * What "Merge" does with a selection: the commonest selected template is kept (ties: the lower
 * id), the others merge into it; null below two selected templates.
 */
export function mergePlan(rows: readonly TemplateRowView[], selected: readonly number[]): { into: number; from: number[] } | null {
  const chosen = rows.filter((r) => selected.includes(r.id)).sort((a, b) => b.count - a.count || a.id - b.id)
  const [into, ...rest] = chosen
  return into && rest.length > 0 ? { into: into.id, from: rest.map((r) => r.id) } : null
}

/** The template "Split…" applies to: the one selected, when it has a parameter. */
export function splitTarget(rows: readonly TemplateRowView[], selected: readonly number[]): TemplateRowView | null {
  if (selected.length !== 1) return null
  const row = rows.find((r) => r.id === selected[0])
  return row && row.text.includes(PARAM_TOKEN) ? row : null
}
