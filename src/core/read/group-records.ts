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

/**
 * Groups continuation lines under the line that starts their record. Holds back one record
 * across batch boundaries, since its continuation may arrive in the next batch.
 */
export async function* groupRecords(
  batches: AsyncIterable<Line[]>,
  isContinuation: ContinuationTest = looksLikeContinuation
): AsyncGenerator<LogRecord[]> {
  let open: { head: Line; continuation: readonly Line[] } | null = null
  for await (const lines of batches) {
    const out: LogRecord[] = []
    for (const line of lines) {
      if (open !== null && isContinuation(line.text)) {
        if (open.continuation === NO_LINES) open.continuation = []
        ;(open.continuation as Line[]).push(line)
        continue
      }
      if (open !== null) out.push(open)
      open = { head: line, continuation: NO_LINES }
    }
    // An empty batch passes on as one: it carries progress through a giant line.
    if (out.length > 0 || lines.length === 0) yield out
  }
  if (open !== null) yield [open]
}

/** Wraps each line as its own record (grouping switched off). */
export async function* ungroupedRecords(batches: AsyncIterable<Line[]>): AsyncGenerator<LogRecord[]> {
  for await (const lines of batches) yield lines.map((head) => ({ head, continuation: NO_LINES }))
}
