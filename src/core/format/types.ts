import type { StampCache } from './stamp-cache.ts'

/** Header fields split off a log line. Absent fields are null. */
export interface HeaderFields {
  /** Epoch milliseconds (UTC when the log carries no zone). */
  readonly ts: number | null
  readonly level: string | null
  readonly component: string | null
  readonly pid: string | null
  readonly thread: string | null
}

export interface SplitLine {
  readonly fields: HeaderFields
  /** The message after the header, trimmed. */
  readonly content: string
  /** False when the line did not fit the header layout (content is then the whole line). */
  readonly matched: boolean
}

export type ColumnRole = 'timestamp' | 'level' | 'pid' | 'thread' | 'component' | 'literal' | 'field'

export type Terminator = 'colon' | 'dash'

/** One header column; a timestamp may span several whitespace tokens. */
export interface ColumnSpec {
  readonly role: ColumnRole
  /** Number of header tokens the column covers (1 except for timestamps). */
  readonly span: number
  /** Timestamp pattern name (role timestamp). */
  readonly tsPattern?: string
  /** Whether this column supplies the record's `ts` (the first full timestamp). */
  readonly primary?: boolean
}

/** A detected or user-given line layout; plain JSON so it can be stored and shown. */
export type FormatSpec =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'tokens'
      readonly columns: readonly ColumnSpec[]
      /**
       * How the header ends after the fixed columns: a component token ending in `:`
       * (`sshd[42]:`), or a component followed by a lone `-` (`app.exe *64 - …`), found within a
       * few tokens; null when the fixed columns are the whole header.
       */
      readonly terminator: Terminator | null
    }
  | { readonly kind: 'delimited'; readonly delimiter: string; readonly columns: readonly ColumnSpec[] }
  | { readonly kind: 'pattern'; readonly format: string }

export interface LineSplitterLike {
  /** Loghub-style rendering of the layout, e.g. `<Timestamp> <Level> <Component>: <Content>`. */
  readonly description: string
  readonly spec: FormatSpec
  split(line: string): SplitLine
  /** `split(line).content` without building the header fields (the mining hot path). */
  content(line: string): string
  /** Cheap test used to decide whether an odd-looking line starts a new record. */
  startsRecord(line: string): boolean
  /**
   * `content(line)` for a line already known to fit the layout (an ingest split it; see
   * `lineFlag.unparsed`), skipping what only validates the header, e.g. parsing its timestamp.
   * Absent: `content` is as fast.
   */
  readonly fittingContent?: ((line: string) => string) | undefined
  /**
   * What an ingest keeps of a head line `text[from, to)` of a longer text, found in place: no
   * string per line. Fills `out`; false when the line does not fit the layout (`out` then holds
   * the whole line, trimmed, as content). Absent: use `split`.
   */
  readonly scanHead?: ((text: string, from: number, to: number, out: HeadScan) => boolean) | undefined
  /** What `scanHead` reads by, for a port of it (ingest/native-heads.ts); with `scanHead` only. */
  readonly tokenLayout?: TokenLayout | undefined
}

/** A token layout as `scanHead` applies it. */
export interface TokenLayout {
  readonly columns: readonly ColumnSpec[]
  readonly terminator: Terminator | null
  /** Header tokens the columns span, and the most a header is scanned for. */
  readonly fixed: number
  readonly max: number
  /** Per column: its timestamp's cache (null for other columns, or a pattern unknown here). */
  readonly stamps: readonly (StampCache | null)[]
}

/** See `LineSplitterLike.scanHead`. */
export interface HeadScan {
  /** Epoch ms of the primary timestamp, NaN when none. */
  ts: number
  /** Canonical level code (0: unknown). */
  level: number
  /** The message, as [start, end) in the text, trimmed. */
  contentStart: number
  contentEnd: number
}

export const NO_FIELDS: HeaderFields = Object.freeze({ ts: null, level: null, component: null, pid: null, thread: null })
