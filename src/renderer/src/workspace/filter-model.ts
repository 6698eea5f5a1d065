/**
 * The filter bar's pure logic: the active filters as removable chips, removing one, and the
 * edits the controls make to a `LineFilter`. Edits return new objects and leave unused fields out
 * (never `field: undefined`), so `isEmptyFilter` and equality checks stay simple.
 */
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { levelCode, levelName, levelNames } from '../../../shared/levels.ts'
import type { LevelName } from '../../../shared/levels.ts'
import { describeTimeRange, formatScore, formatTimeRange, truncate } from './format.ts'

export interface FilterChip {
  /** Stable identity, also what `removeChip` takes: `minScore`, `levels`, `template:12`, `time`… */
  key: string
  label: string
  /** Longer text for a tooltip, when the label is shortened. */
  title?: string
}

/** Levels the bar offers as toggles: every level but `unknown`. */
export const toggleLevels: readonly LevelName[] = levelNames.filter((name) => name !== 'unknown')

/** Up to this many selected templates (or sessions) get a chip each; more share one chip. */
export const maxItemChips = 3
const templateLabelChars = 24
const textLabelChars = 40

/** Removes fields from a filter (a copy), leaving no `undefined` keys behind. */
export function withoutFields(filter: LineFilter, ...fields: (keyof LineFilter)[]): LineFilter {
  const next: LineFilter = {}
  for (const [key, value] of Object.entries(filter) as [keyof LineFilter, unknown][]) {
    if (value !== undefined && !fields.includes(key)) (next as Record<string, unknown>)[key] = value
  }
  return next
}

function withField<K extends keyof LineFilter>(filter: LineFilter, key: K, value: LineFilter[K] | undefined): LineFilter {
  const next = withoutFields(filter, key)
  if (value !== undefined) next[key] = value
  return next
}

/** `/timeout/i`, or `"timeout"` (with `match case` when case-sensitive). */
export function describeText(text: string, regex: boolean, caseSensitive: boolean): string {
  if (regex) return `/${text}/${caseSensitive ? '' : 'i'}`
  return `"${text}"${caseSensitive ? ' (match case)' : ''}`
}

/** The active filters, in the order the bar shows them. */
export function deriveChips(filter: LineFilter, templateText: (id: number) => string): FilterChip[] {
  const chips: FilterChip[] = []
  if (filter.minScore !== undefined && filter.minScore > 0) {
    chips.push({ key: 'minScore', label: `score ≥ ${formatScore(filter.minScore)}` })
  }
  if (filter.levels?.length) {
    const names = [...new Set(filter.levels)].sort((a, b) => a - b).map(levelName)
    chips.push({ key: 'levels', label: `level: ${names.join(', ')}` })
  }
  const templates = [...new Set(filter.templates ?? [])]
  if (templates.length > maxItemChips) {
    chips.push({
      key: 'templates',
      label: `templates: ${templates.length} selected`,
      title: templates.map((id) => templateText(id) || `#${id}`).join('\n')
    })
  } else {
    for (const id of templates) {
      const text = templateText(id)
      chips.push(
        text
          ? { key: `template:${id}`, label: `template: "${truncate(text, templateLabelChars)}"`, title: text }
          : { key: `template:${id}`, label: `template #${id}` }
      )
    }
  }
  const sessions = [...new Set(filter.sessions ?? [])]
  if (sessions.length > maxItemChips) {
    chips.push({ key: 'sessions', label: `sessions: ${sessions.length} selected` })
  } else {
    for (const id of sessions) chips.push({ key: `session:${id}`, label: `session #${id}` })
  }
  if (filter.text) {
    const full = describeText(filter.text, filter.regex ?? false, filter.caseSensitive ?? false)
    const short = describeText(truncate(filter.text, textLabelChars), filter.regex ?? false, filter.caseSensitive ?? false)
    chips.push(short === full ? { key: 'text', label: `text: ${full}` } : { key: 'text', label: `text: ${short}`, title: full })
  }
  if (filter.fromTs !== undefined || filter.toTs !== undefined) {
    chips.push({
      key: 'time',
      label: `time: ${formatTimeRange(filter.fromTs, filter.toTs)}`,
      title: describeTimeRange(filter.fromTs, filter.toTs)
    })
  }
  if (filter.context) {
    chips.push({ key: 'context', label: `±${filter.context} ${filter.context === 1 ? 'line' : 'lines'}` })
  }
  return chips
}

/** The filter without what chip `key` stands for. Unknown keys change nothing. */
export function removeChip(filter: LineFilter, key: string): LineFilter {
  const item = /^(template|session):(\d+)$/.exec(key)
  if (item) {
    const field = item[1] === 'template' ? 'templates' : 'sessions'
    const id = Number(item[2])
    const rest = (filter[field] ?? []).filter((value) => value !== id)
    return withField(filter, field, rest.length ? rest : undefined)
  }
  switch (key) {
    case 'minScore':
      return withoutFields(filter, 'minScore')
    case 'levels':
      return withoutFields(filter, 'levels')
    case 'templates':
      return withoutFields(filter, 'templates')
    case 'sessions':
      return withoutFields(filter, 'sessions')
    case 'text':
      return withoutFields(filter, 'text', 'regex', 'caseSensitive')
    case 'time':
      return withoutFields(filter, 'fromTs', 'toTs')
    case 'context':
      return withoutFields(filter, 'context')
    default:
      return filter
  }
}

/** Min score: 0 (or less) means no score filter. */
export function applyMinScore(filter: LineFilter, minScore: number | undefined): LineFilter {
  if (minScore === undefined || !(minScore > 0)) return withoutFields(filter, 'minScore')
  return withField(filter, 'minScore', Math.min(1, Math.round(minScore * 100) / 100))
}

/** Turns one level on or off; no level selected means every level. */
export function toggleLevel(filter: LineFilter, name: LevelName): LineFilter {
  const code = levelCode[name]
  const current = new Set(filter.levels ?? [])
  if (current.has(code)) current.delete(code)
  else current.add(code)
  const next = [...current].sort((a, b) => a - b)
  return withField(filter, 'levels', next.length ? next : undefined)
}

export interface TextQuery {
  text: string
  regex: boolean
  caseSensitive: boolean
}

/** The text fields of a filter as the search box sees them. */
export function textQueryOf(filter: LineFilter): TextQuery {
  return { text: filter.text ?? '', regex: filter.regex ?? false, caseSensitive: filter.caseSensitive ?? false }
}

/** Whether two queries filter the same lines (the toggles do not matter without text). */
export function sameTextQuery(a: TextQuery, b: TextQuery): boolean {
  if (!a.text && !b.text) return true
  return a.text === b.text && a.regex === b.regex && a.caseSensitive === b.caseSensitive
}

/** Sets the text search; the regex and case toggles are stored only alongside some text. */
export function applyText(filter: LineFilter, query: TextQuery): LineFilter {
  const next = withoutFields(filter, 'text', 'regex', 'caseSensitive')
  if (!query.text) return next
  next.text = query.text
  if (query.regex) next.regex = true
  if (query.caseSensitive) next.caseSensitive = true
  return next
}

/**
 * Why a regex would be rejected, or null when it compiles. Uses the flags the engine searches
 * with (`u`, plus `i` when case-insensitive), so what passes here also passes there.
 */
export function regexError(pattern: string, caseSensitive: boolean): string | null {
  if (!pattern) return null
  try {
    new RegExp(pattern, caseSensitive ? 'gmu' : 'gimu')
    return null
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // "Invalid regular expression: /(/gimu: Unterminated group" → "Unterminated group"
    const reason = /:\s*([^:]+)$/.exec(message)?.[1]?.trim()
    return reason ? `Invalid regular expression: ${reason}` : 'Invalid regular expression'
  }
}

export const maxContext = 50

/** Context lines from the ±N box: blank → 0, clamped to 0…50, whole numbers only. */
export function parseContext(raw: string): number | null {
  const trimmed = raw.trim()
  if (trimmed === '') return 0
  const n = Number(trimmed)
  if (!Number.isFinite(n)) return null
  return Math.min(maxContext, Math.max(0, Math.round(n)))
}

export function applyContext(filter: LineFilter, context: number): LineFilter {
  return withField(filter, 'context', context > 0 ? Math.min(maxContext, Math.round(context)) : undefined)
}

/** Structural equality for filters (field order and `undefined` fields do not matter). */
export function sameFilter(a: LineFilter, b: LineFilter): boolean {
  const ka = Object.keys(withoutFields(a)) as (keyof LineFilter)[]
  const kb = Object.keys(withoutFields(b)) as (keyof LineFilter)[]
  if (ka.length !== kb.length) return false
  return ka.every((key) => {
    const va = a[key]
    const vb = b[key]
    if (Array.isArray(va) && Array.isArray(vb)) return va.length === vb.length && va.every((v, i) => v === vb[i])
    return va === vb
  })
}
