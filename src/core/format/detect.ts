import { headerTokens } from './header-tokens.ts'
import { isLetterLevel, isLevelWord, cleanToken } from './level.ts'
import { TIMESTAMP_PATTERNS, matchTimestampWith } from './timestamp.ts'
import type { TimestampPattern } from './timestamp.ts'
import type { ColumnRole, ColumnSpec, FormatSpec } from './types.ts'

/** How many leading tokens can belong to a header. */
const MAX_HEADER_TOKENS = 14
/** Share of sample lines a header column must fit. Headers are regular; messages are not. */
const COLUMN_SUPPORT = 0.9
const STRICT_SUPPORT = 0.97
/** Non-anchor columns (hosts, nodes, components) allowed between two anchor columns. */
const MAX_GAP = 3

interface Tokenized {
  readonly line: string
  readonly starts: number[]
  readonly ends: number[]
  readonly count: number
}

interface TsGroup {
  readonly col: number
  readonly span: number
  readonly pattern: TimestampPattern
  readonly support: number
}

/** Infers the header layout from a sample of lines (no configuration, no per-system rules). */
export function detectFormat(sample: readonly string[], defaultYear = new Date().getUTCFullYear()): FormatSpec {
  const lines = sample.filter((l) => l.trim().length > 0)
  if (lines.length === 0) return { kind: 'none' }
  return detectDelimited(lines, defaultYear) ?? detectTokens(lines, defaultYear)
}

function tokenize(line: string): Tokenized {
  const starts: number[] = []
  const ends: number[] = []
  const count = headerTokens(line, MAX_HEADER_TOKENS + 3, starts, ends)
  return { line, starts, ends, count }
}

function tokenText(t: Tokenized, i: number): string {
  return t.line.slice(t.starts[i] ?? 0, t.ends[i] ?? 0)
}

/** `time|component|pid|message`: a delimiter that appears before any space on nearly every line. */
function detectDelimited(lines: readonly string[], year: number): FormatSpec | null {
  for (const delimiter of ['|', '\t']) {
    let best = 0
    for (let k = 1; k <= 8; k++) {
      let fit = 0
      for (const line of lines) {
        const parts = line.split(delimiter, k + 1)
        // Header fields are short; padding around the delimiter (`a | b`) is fine.
        if (parts.length === k + 1 && parts.slice(0, k).every((p) => p.trim().length > 0 && p.length < 64)) fit++
      }
      if (fit >= lines.length * STRICT_SUPPORT) best = k
      else break
    }
    if (best === 0) continue
    const fields = lines.map((l) => l.split(delimiter, best).map((f) => f.trim()))
    const columns: ColumnSpec[] = []
    let sawTs = false
    for (let c = 0; c < best; c++) {
      const values = fields.map((f) => f[c] ?? '')
      const ts = bestTimestampPattern(values, year)
      if (ts !== null) {
        columns.push({ role: 'timestamp', span: 1, tsPattern: ts.name, primary: !sawTs && ts.strength === 2 })
        sawTs ||= ts.strength === 2
      } else columns.push({ role: classifyColumn(values, columns), span: 1 })
    }
    // Without a timestamp among the fields this is more likely data than a header.
    if (!sawTs) continue
    return { kind: 'delimited', delimiter, columns: assignComponent(columns) }
  }
  return null
}

function bestTimestampPattern(values: readonly string[], year: number): TimestampPattern | null {
  for (const p of TIMESTAMP_PATTERNS) {
    let fit = 0
    for (const v of values) {
      const hit = matchTimestampWith(p, v, 0, year)
      if (hit !== null && hit.end === v.length) fit++
    }
    if (fit >= values.length * COLUMN_SUPPORT) return p
  }
  return null
}

/** Timestamp match starting at token `col`, as the number of tokens it covers. */
function tsSpanAt(t: Tokenized, col: number, p: TimestampPattern, year: number): number {
  const start = t.starts[col]
  if (start === undefined) return 0
  const bracket = t.line.charCodeAt(start) === 91
  const hit = matchTimestampWith(p, t.line, bracket ? start + 1 : start, year)
  if (hit === null) return 0
  for (let k = col; k < t.count; k++) {
    const end = t.ends[k] ?? 0
    // Allow one trailing decoration character: `04:30:30,` `…2005]` `12:01:01:`.
    if (hit.end === end || hit.end === end - 1) return k - col + 1
    if (end > hit.end) return 0
  }
  return 0
}

function findTimestampGroups(rows: readonly Tokenized[], year: number): TsGroup[] {
  const groups: TsGroup[] = []
  let col = 0
  while (col < MAX_HEADER_TOKENS) {
    let best: TsGroup | null = null
    const probe = rows.slice(0, 50)
    for (const p of TIMESTAMP_PATTERNS) {
      // Shortlist on a few rows first: most patterns fail everywhere.
      if (probe.filter((r) => tsSpanAt(r, col, p, year) > 0).length < probe.length * 0.5) continue
      const spans = new Map<number, number>()
      for (const r of rows) {
        const s = tsSpanAt(r, col, p, year)
        if (s > 0) spans.set(s, (spans.get(s) ?? 0) + 1)
      }
      for (const [span, n] of spans) {
        const support = n / rows.length
        if (support < COLUMN_SUPPORT) continue
        if (
          best === null ||
          p.strength > best.pattern.strength ||
          (p.strength === best.pattern.strength && span > best.span)
        )
          best = { col, span, pattern: p, support }
      }
    }
    if (best !== null) {
      groups.push(best)
      col += best.span
    } else col++
  }
  return groups
}

function share(rows: readonly Tokenized[], col: number, test: (tok: string) => boolean): number {
  let n = 0
  for (const r of rows) if (col < r.count && test(tokenText(r, col))) n++
  return n / rows.length
}

function classifyColumn(values: readonly string[], before: readonly ColumnSpec[]): ColumnRole {
  const fit = (test: (v: string) => boolean): number => values.filter(test).length / Math.max(1, values.length)
  if (fit(isLevelWord) >= COLUMN_SUPPORT || fit(isLetterLevel) >= STRICT_SUPPORT) return 'level'
  if (fit((v) => /^\d+$/.test(cleanToken(v))) >= STRICT_SUPPORT)
    return before.some((c) => c.role === 'pid') ? 'thread' : 'pid'
  if (fit((v) => /^\[.*\]$/.test(v)) >= COLUMN_SUPPORT) return 'thread'
  const first = values[0] ?? ''
  if (/^[^\w\s]+$/.test(first) && fit((v) => v === first) >= COLUMN_SUPPORT) return 'literal'
  return 'field'
}

/**
 * The free-text column right after the level is the logger/component in most layouts; without
 * a level, the one right after the timestamp (`time|component|…`, `[time] program - …`).
 */
function assignComponent(columns: ColumnSpec[]): ColumnSpec[] {
  const level = columns.findIndex((c) => c.role === 'level')
  if (level < 0) {
    const after = columns.findIndex((c, i) => i > 0 && c.role === 'field' && columns[i - 1]?.role === 'timestamp')
    return after < 0 ? columns : columns.map((c, i) => (i === after ? { ...c, role: 'component' } : c))
  }
  return columns.map((c, i) => (i > level && c.role === 'field' && !columns.slice(level + 1, i).some((x) => x.role === 'field') ? { ...c, role: 'component' } : c))
}

function isAnchor(role: ColumnRole): boolean {
  return role !== 'field' && role !== 'component'
}

function detectTokens(lines: readonly string[], year: number): FormatSpec {
  const rows = lines.map(tokenize)
  const groups = findTimestampGroups(rows, year)
  const columns: ColumnSpec[] = []
  // Column roles by token index, timestamps first.
  let sawPrimary = false
  for (let col = 0; col < MAX_HEADER_TOKENS; ) {
    const g = groups.find((x) => x.col === col)
    if (g !== undefined) {
      const primary: boolean = !sawPrimary && g.pattern.strength === 2
      sawPrimary ||= primary
      columns.push({ role: 'timestamp', span: g.span, tsPattern: g.pattern.name, primary })
      col += g.span
      continue
    }
    if (share(rows, col, () => true) < STRICT_SUPPORT) break
    columns.push({ role: classifyColumn(rows.map((r) => (col < r.count ? tokenText(r, col) : '')), columns), span: 1 })
    col++
  }

  // The header is the chain of anchor columns from the line start, with short gaps of free fields.
  let headerCols = 0
  let gap = 0
  for (let i = 0; i < columns.length; i++) {
    const c = columns[i] as ColumnSpec
    if (isAnchor(c.role)) {
      headerCols = i + 1
      gap = 0
    } else if (++gap > MAX_GAP) break
  }
  let header = columns.slice(0, headerCols)
  let headerTokens = header.reduce((n, c) => n + c.span, 0)

  for (const terminator of ['colon', 'dash'] as const) {
    const at = terminatorColumn(rows, headerTokens, terminator)
    if (at === null) continue
    // Free fields between the anchors and the component (a host name, usually).
    for (let i = headerTokens; i < at; i++) header.push({ role: 'field', span: 1 })
    return { kind: 'tokens', columns: header, terminator }
  }
  // Aligned layouts pad a trailing component column with spaces; take it when the message
  // then starts at a fixed character offset.
  for (let extra = 0; extra < 2 && headerTokens > 0; extra++) {
    if (!paddedColumnAt(rows, headerTokens)) break
    header.push({ role: 'field', span: 1 })
    headerTokens++
  }
  header = assignComponent(header)
  if (header.length === 0) return { kind: 'none' }
  return { kind: 'tokens', columns: header, terminator: null }
}

/**
 * Token index where the component starts, when lines agree that the header ends with a
 * `name:` / `name[pid]:` token (colon) or with a lone `-` after the component (dash).
 */
function terminatorColumn(rows: readonly Tokenized[], from: number, kind: 'colon' | 'dash'): number | null {
  const counts = new Map<number, number>()
  const firstHit: number[] = []
  for (const r of rows) {
    let j = -1
    for (let k = kind === 'colon' ? from : from + 1; k < Math.min(r.count, from + 6); k++) {
      const end = r.ends[k] ?? 0
      const hit = kind === 'colon' ? r.line.charCodeAt(end - 1) === 58 : end - (r.starts[k] ?? 0) === 1 && r.line.charCodeAt(end - 1) === 45
      if (hit) {
        // The dash closes a component, so the component is the token before it.
        j = kind === 'colon' ? k : k - 1
        break
      }
    }
    firstHit.push(j)
    if (j >= 0) counts.set(j, (counts.get(j) ?? 0) + 1)
  }
  let mode = -1
  let modeCount = 0
  for (const [j, n] of counts) if (n > modeCount || (n === modeCount && j < mode)) [mode, modeCount] = [j, n]
  if (mode < 0 || mode > from + 2) return null
  const fit = firstHit.filter((j) => j >= mode && j <= mode + 2).length
  return fit >= rows.length * 0.8 ? mode : null
}

/** Whether column `col` is padded so that the next column starts at one fixed offset. */
function paddedColumnAt(rows: readonly Tokenized[], col: number): boolean {
  const offsets = new Map<number, number>()
  let padded = 0
  for (const r of rows) {
    const next = r.starts[col + 1]
    const end = r.ends[col]
    if (next === undefined || end === undefined) continue
    offsets.set(next, (offsets.get(next) ?? 0) + 1)
    if (next - end >= 2) padded++
  }
  const top = Math.max(0, ...offsets.values())
  return top >= rows.length * 0.95 && padded >= rows.length * 0.5
}
