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
 * is held back, lines and all: its continuation may open the next batch. Once the next batch
 * shows where it ends, it goes out as a batch of its own, so a batch's text is only ever sliced,
 * never joined to the next one's (joining meant copying each megabyte of text once more).
 */
export async function* groupColumns(batches: AsyncIterable<LineColumns>, isContinuation: ContinuationTest = looksLikeContinuation): AsyncGenerator<RecordColumns> {
  let open: LineColumns | null = null
  for await (const batch of batches) {
    if (batch.count === 0) {
      // An empty batch passes on as one: it carries progress through a giant line.
      yield { ...sliceColumns(open ?? batch, 0, 0), recordLines: new Int32Array(0) }
      continue
    }
    // The batch's leading continuation lines end the held-back record.
    let lead = 0
    if (open !== null) {
      while (lead < batch.count && isContinuation(columnLine(batch, lead))) lead++
      if (lead === batch.count) {
        open = concatColumns(open, batch)
        continue
      }
      const record = concatColumns(open, sliceColumns(batch, 0, lead))
      yield { ...record, recordLines: Int32Array.of(record.count) }
    }
    const heads = [lead]
    for (let i = lead + 1; i < batch.count; i++) if (!isContinuation(columnLine(batch, i))) heads.push(i)
    const last = heads.length - 1
    if (last > 0) {
      const recordLines = new Int32Array(last)
      for (let k = 0; k < last; k++) recordLines[k] = (heads[k + 1] as number) - (heads[k] as number)
      yield { ...sliceColumns(batch, lead, heads[last] as number), recordLines }
    }
    open = sliceColumns(batch, heads[last] as number)
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
