import { describeFormat } from './describe.ts'
import { headerTokens } from './header-tokens.ts'
import { LevelReader, cleanToken } from './level.ts'
import { StampCache } from './stamp-cache.ts'
import { TIMESTAMP_PATTERNS, matchTimestampWith } from './timestamp.ts'
import type { TimestampPattern } from './timestamp.ts'
import { compileUserFormat } from './user-format.ts'
import { NO_FIELDS } from './types.ts'
import type { ColumnSpec, FormatSpec, HeadScan, HeaderFields, LineSplitterLike, SplitLine, Terminator } from './types.ts'

/** How far past the fixed columns a `component:` token may sit (optional `(…)` parts). */
const COLON_SLACK = 3

function patternByName(name: string | undefined): TimestampPattern | null {
  return TIMESTAMP_PATTERNS.find((p) => p.name === name) ?? null
}

/** `sshd(pam_unix)[19939]` → component `sshd(pam_unix)`, pid `19939`. */
function splitComponent(raw: string): { component: string; pid: string | null } {
  if (!raw.includes('[')) return { component: raw, pid: null }
  const m = /^(.*?)\s*\[(\d+)\](?:\s*\(.*\))?$/.exec(raw)
  if (m !== null && m[1]) return { component: m[1], pid: m[2] ?? null }
  return { component: raw, pid: null }
}

interface MutableFields {
  ts: number | null
  level: string | null
  component: string | null
  pid: string | null
  thread: string | null
}

/** `line.slice(start).trim()` with one slice instead of two strings. */
function trimmedFrom(line: string, start: number): string {
  let a = start
  let b = line.length
  while (a < b && line.charCodeAt(a) <= 32) a++
  while (b > a && line.charCodeAt(b - 1) <= 32) b--
  return line.slice(a, b)
}

function unmatched(line: string): SplitLine {
  return { fields: NO_FIELDS, content: trimmedFrom(line, 0), matched: false }
}

/** Builds the per-line splitter for a layout. The hot path: one small token scan per line. */
export function createLineSplitter(spec: FormatSpec, defaultYear = new Date().getUTCFullYear()): LineSplitterLike {
  const description = describeFormat(spec)
  switch (spec.kind) {
    case 'none':
      return { description, spec, split: unmatched, content: (l) => trimmedFrom(l, 0), startsRecord: () => false }
    case 'pattern': {
      const user = compileUserFormat(spec.format, defaultYear)
      return { description, spec, split: user.split, content: (l) => user.split(l).content, startsRecord: (l) => user.split(l).matched }
    }
    case 'delimited':
      return delimitedSplitter(spec.delimiter, spec.columns, description, spec, defaultYear)
    case 'tokens':
      return tokenSplitter(spec.columns, spec.terminator, description, spec, defaultYear)
  }
}

/** Copies one header column into the fields its role names. */
function applyColumn(f: MutableFields, c: ColumnSpec, text: string): void {
  switch (c.role) {
    case 'level':
      f.level = cleanToken(text)
      break
    case 'pid':
      f.pid = cleanToken(text)
      break
    case 'thread':
      f.thread = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : cleanToken(text)
      break
    case 'component':
      f.component = text
      break
    case 'timestamp':
    case 'literal':
    case 'field':
      break
  }
}

function tokenSplitter(
  columns: readonly ColumnSpec[],
  terminator: Terminator | null,
  description: string,
  spec: FormatSpec,
  year: number
): LineSplitterLike {
  const fixed = columns.reduce((n, c) => n + c.span, 0)
  // Only the tokens the header can use are scanned; the message is never tokenised here.
  const max = Math.max(1, fixed + (terminator === null ? 0 : COLON_SLACK + 1))
  const patterns = columns.map((c) => (c.role === 'timestamp' ? patternByName(c.tsPattern) : null))
  const starts: number[] = new Array<number>(max).fill(0)
  const ends: number[] = new Array<number>(max).fill(0)

  // Neighbouring lines usually share their stamp, or its second (see stamp-cache.ts).
  const stamps = patterns.map((p) => (p === null ? null : new StampCache(p, year)))

  const levels = new LevelReader()

  /**
   * Where the message of `line[from, to)` starts, or -1 when the line does not fit; fills `f`
   * (every field) or `scan` (time and level only) when given. `trusted`: the line is known to fit
   * (an ingest checked it), so its timestamp is not parsed again.
   */
  const locate = (line: string, from: number, to: number, f: MutableFields | null, scan: HeadScan | null, trusted = false): number => {
    const count = headerTokens(line, max, starts, ends, terminator === 'colon' ? fixed : Infinity, from, to)
    if (count < fixed) return -1
    let tok = 0
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i] as ColumnSpec
      const start = starts[tok] as number
      if (c.role === 'timestamp' && trusted) {
        // Nothing to read: only where the header ends matters.
      } else if (c.role === 'timestamp') {
        const stamp = stamps[i]
        if (stamp == null) return -1
        const at = line.charCodeAt(start) === 91 ? start + 1 : start
        const ms = stamp.read(line, at, ends[tok + c.span - 1] as number)
        if (ms === null) return -1
        if (c.primary === true) {
          if (f !== null) f.ts = ms
          if (scan !== null) scan.ts = ms
        }
      } else if (f !== null) {
        applyColumn(f, c, line.slice(start, ends[tok]))
      } else if (scan !== null && c.role === 'level') {
        scan.level = levels.code(line, start, ends[tok] as number)
      }
      tok += c.span
    }
    let contentStart = tok < count ? (starts[tok] as number) : fixed > 0 ? (ends[fixed - 1] as number) : from
    if (terminator === 'colon') {
      for (let k = tok; k < Math.min(count, tok + COLON_SLACK); k++) {
        const end = ends[k] as number
        if (line.charCodeAt(end - 1) === 58) {
          if (f !== null) {
            const { component, pid } = splitComponent(line.slice(starts[tok], end - 1))
            f.component = component
            if (pid !== null) f.pid = pid
          }
          contentStart = end
          break
        }
      }
    } else if (terminator === 'dash') {
      for (let k = tok + 1; k < Math.min(count, tok + COLON_SLACK + 1); k++) {
        const end = ends[k] as number
        if (end - (starts[k] as number) === 1 && line.charCodeAt(end - 1) === 45) {
          if (f !== null) f.component = line.slice(starts[tok], ends[k - 1]).trimEnd()
          contentStart = end
          break
        }
      }
    }
    return contentStart
  }

  const split = (line: string): SplitLine => {
    const f: MutableFields = { ts: null, level: null, component: null, pid: null, thread: null }
    const at = locate(line, 0, line.length, f, null)
    return at < 0 ? unmatched(line) : { fields: f, content: trimmedFrom(line, at), matched: true }
  }
  const content = (line: string): string => {
    const at = locate(line, 0, line.length, null, null)
    return at < 0 ? trimmedFrom(line, 0) : trimmedFrom(line, at)
  }
  const startsRecord = (line: string): boolean => locate(line, 0, line.length, null, null) >= 0
  const fittingContent = (line: string): string => {
    const at = locate(line, 0, line.length, null, null, true)
    return at < 0 ? trimmedFrom(line, 0) : trimmedFrom(line, at)
  }
  const scanHead = (text: string, from: number, to: number, out: HeadScan): boolean => {
    out.ts = Number.NaN
    out.level = 0
    const at = locate(text, from, to, null, out)
    let a = at < 0 ? from : at
    let b = to
    while (a < b && text.charCodeAt(a) <= 32) a++
    while (b > a && text.charCodeAt(b - 1) <= 32) b--
    out.contentStart = a
    out.contentEnd = b
    if (at < 0) {
      // As `split` has it: an unfitting line keeps no header fields.
      out.ts = Number.NaN
      out.level = 0
    }
    return at >= 0
  }
  return { description, spec, split, content, startsRecord, fittingContent, scanHead, tokenLayout: { columns, terminator, fixed, max, stamps } }
}

function delimitedSplitter(
  delimiter: string,
  columns: readonly ColumnSpec[],
  description: string,
  spec: FormatSpec,
  year: number
): LineSplitterLike {
  const patterns = columns.map((c) => (c.role === 'timestamp' ? patternByName(c.tsPattern) : null))
  const split = (line: string): SplitLine => {
    const f: MutableFields = { ts: null, level: null, component: null, pid: null, thread: null }
    let pos = 0
    for (let i = 0; i < columns.length; i++) {
      const next = line.indexOf(delimiter, pos)
      if (next < 0) return unmatched(line)
      const text = line.slice(pos, next).trim()
      const c = columns[i] as ColumnSpec
      if (c.role === 'timestamp') {
        const p = patterns[i]
        const hit = p == null ? null : matchTimestampWith(p, text, 0, year)
        if (hit === null) return unmatched(line)
        if (c.primary) f.ts = hit.ms
      } else applyColumn(f, c, text)
      pos = next + delimiter.length
    }
    return { fields: f as HeaderFields, content: line.slice(pos).trim(), matched: true }
  }
  return { description, spec, split, content: (l) => split(l).content, startsRecord: (l) => split(l).matched }
}
