import { columnLine, columnLineOf, concatColumns, sliceColumns } from './line-columns.ts'
import type { LineColumns } from './line-columns.ts'
import type { Line, LogRecord } from './types.ts'

export type ContinuationTest = (text: string) => boolean

const NO_LINES: readonly Line[] = Object.freeze([])

// Stack frames (Java `at …`, `... 3 more`, `Caused by:`) and indented lines.
const FRAME = /^(?:[ \t]+\S|at [\w$.<>]+\(|Caused by: |Suppressed: |\.\.\. \d+ (?:more|common frames))/
// Also exception headlines and Python tracebacks: only safe when a header layout confirms the
// line has no header of its own (a headerless log may well start lines with `Error:`).
const EXCEPTION = /^(?:Traceback \(most recent call last\)|[\w$.]*(?:Exception|Error)(?::|$))/

/** Indented lines and stack frames: continuations in any log. */
export const looksLikeFrame: ContinuationTest = (text) => {
  // Cheap gate first: only lines that could match reach the regex.
  const c = text.charCodeAt(0)
  if (c === 32 || c === 9 || c === 46) return FRAME.test(text)
  return (c === 97 || c === 67 || c === 83) && FRAME.test(text)
}

/** Frames plus exception headlines; pair with a header check (see `openRecordStream`). */
export const looksLikeContinuation: ContinuationTest = (text) =>
  looksLikeFrame(text) || ((text.includes('Exception') || text.includes('Error') || text.startsWith('Traceback')) && EXCEPTION.test(text))

/** Lines grouped into records: record k is the next `recordLines[k]` lines (head first). */
export interface RecordColumns extends LineColumns {
  readonly recordLines: Int32Array
}

/**
 * Groups continuation lines under the line that starts their record. The last record of a batch
 * is held back, lines and all, and opens the next batch: its continuation may be there.
 */
export async function* groupColumns(batches: AsyncIterable<LineColumns>, isContinuation: ContinuationTest = looksLikeContinuation): AsyncGenerator<RecordColumns> {
  let open: LineColumns | null = null
  for await (const batch of batches) {
    const lines: LineColumns = open === null ? batch : concatColumns(open, batch)
    const heads: number[] = open === null ? [] : [0]
    for (let i = open === null ? 0 : open.count; i < lines.count; i++) {
      if (heads.length > 0 && isContinuation(columnLine(lines, i))) continue
      heads.push(i)
    }
    const last = heads.length - 1
    if (last > 0 || batch.count === 0) {
      const cut = last > 0 ? (heads[last] as number) : 0
      const recordLines = new Int32Array(Math.max(0, last))
      for (let k = 0; k < last; k++) recordLines[k] = (heads[k + 1] as number) - (heads[k] as number)
      // An empty batch passes on as one: it carries progress through a giant line.
      yield { ...sliceColumns(lines, 0, cut), recordLines }
    }
    open = last >= 0 ? sliceColumns(lines, heads[last] as number) : null
  }
  if (open !== null) yield { ...open, recordLines: Int32Array.of(open.count) }
}

/** Every line its own record (grouping switched off). */
export async function* ungroupedColumns(batches: AsyncIterable<LineColumns>): AsyncGenerator<RecordColumns> {
  for await (const batch of batches) yield { ...batch, recordLines: new Int32Array(batch.count).fill(1) }
}

/** The records of a batch as objects. */
export function recordsOf(batch: RecordColumns): LogRecord[] {
  const out = new Array<LogRecord>(batch.recordLines.length)
  let line = 0
  for (let r = 0; r < out.length; r++) {
    const head = columnLineOf(batch, line)
    const n = batch.recordLines[r] as number
    let continuation: readonly Line[] = NO_LINES
    if (n > 1) {
      const more: Line[] = []
      for (let i = 1; i < n; i++) more.push(columnLineOf(batch, line + i))
      continuation = more
    }
    out[r] = { head, continuation }
    line += n
  }
  return out
}
