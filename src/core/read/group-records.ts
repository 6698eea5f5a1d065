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

/** First characters a frame can start with (space, tab, `.`, `at`, `Caused`, `Suppressed`): the cheap gate before FRAME. */
const FRAME_START = new Uint8Array(128)
for (const c of ' \t.aCS') FRAME_START[c.charCodeAt(0)] = 1
/** Words an exception headline holds: EXCEPTION matches no line without one, so they gate it. */
const HEADLINE_WORDS = ['Exception', 'Error', 'Traceback']

/** Indented lines and stack frames: continuations in any log. */
export const looksLikeFrame: ContinuationTest = (text) => FRAME_START[text.charCodeAt(0)] === 1 && FRAME.test(text)

/** Frames plus exception headlines; pair with a header check (see `openRecordStream`). */
export const looksLikeContinuation: ContinuationTest = (text) => looksLikeFrame(text) || (HEADLINE_WORDS.some((w) => text.includes(w)) && EXCEPTION.test(text))

/** The characters of `[\w$.]`, which EXCEPTION's headline is made of up to its `:` or the line's end. */
const WORDISH = new Uint8Array(128)
for (let c = 0; c < 128; c++) WORDISH[c] = /[\w$.]/.test(String.fromCharCode(c)) ? 1 : 0
const EXCEPTION_WORD = Buffer.from('Exception', 'latin1')
const ERROR_WORD = Buffer.from('Error', 'latin1')
const TRACEBACK = Buffer.from('Traceback (most recent call last)', 'latin1')

/** Whether `word` is in `text` at `at`, within [`start`, `end`). */
function wordAt(text: Uint8Array, at: number, start: number, end: number, word: Uint8Array): boolean {
  if (at < start || at + word.length > end) return false
  for (let i = 0; i < word.length; i++) if (text[at + i] !== word[i]) return false
  return true
}

/**
 * Whether the line [start, end) of ASCII bytes may be an exception headline: EXCEPTION matches
 * only where the line's leading run of `[\w$.]` ends with one of its words and then comes `:` or
 * the end of the line (a word inside the run is followed by another such character), or where
 * the line opens a traceback. A few bytes per line, where finding the words in the whole batch
 * was three scans of it (~10% of the reader's time).
 */
function mayBeHeadline(text: Uint8Array, start: number, end: number): boolean {
  let run = start
  while (run < end && WORDISH[text[run] as number] === 1) run++
  if (run === end || text[run] === 58) return wordAt(text, run - EXCEPTION_WORD.length, start, run, EXCEPTION_WORD) || wordAt(text, run - ERROR_WORD.length, start, run, ERROR_WORD)
  return wordAt(text, start, start, end, TRACEBACK)
}

/**
 * For a batch of bytes, 1 for each line that may look like a continuation (a superset of those
 * `looksLikeContinuation` takes), so only those become strings: by a frame's first character, or
 * a headline's first word. Null for a string batch.
 */
function continuationCandidates(batch: LineColumns): Uint8Array | null {
  const text = batch.text
  if (typeof text === 'string') return null
  const { starts, count } = batch
  const out = new Uint8Array(count)
  for (let i = 0; i < count; i++) {
    const start = starts[i] as number
    if (FRAME_START[text[start] as number] === 1 || mayBeHeadline(text, start, (starts[i + 1] as number) - 1)) out[i] = 1
  }
  return out
}

/** Lines grouped into records: record k is the next `recordLines[k]` lines (head first). */
export interface RecordColumns extends LineColumns {
  readonly recordLines: Int32Array
}

/**
 * Groups continuation lines under the line that starts their record (`isContinuation` must
 * imply `looksLikeContinuation`). The last record of a batch is held back, lines and all: its
 * continuation may open the next batch. Once the next batch shows where it ends, it goes out as
 * a batch of its own, so a batch's text is only ever sliced, never joined to the next one's
 * (joining meant copying each megabyte of text once more).
 */
export async function* groupColumns(batches: AsyncIterable<LineColumns>, isContinuation: ContinuationTest = looksLikeContinuation): AsyncGenerator<RecordColumns> {
  let open: LineColumns | null = null
  for await (const batch of batches) {
    if (batch.count === 0) {
      // An empty batch passes on as one: it carries progress through a giant line.
      yield { ...sliceColumns(open ?? batch, 0, 0), recordLines: new Int32Array(0) }
      continue
    }
    // Only lines that may continue a record are tested (as strings); `isContinuation` implies `looksLikeContinuation`.
    const candidates = continuationCandidates(batch)
    const continues = (i: number): boolean => (candidates === null || candidates[i] === 1) && isContinuation(columnLine(batch, i))
    // The batch's leading continuation lines end the held-back record.
    let lead = 0
    if (open !== null) {
      while (lead < batch.count && continues(lead)) lead++
      if (lead === batch.count) {
        open = concatColumns(open, batch)
        continue
      }
      const record = concatColumns(open, sliceColumns(batch, 0, lead))
      yield { ...record, recordLines: Int32Array.of(record.count) }
    }
    const heads = [lead]
    for (let i = lead + 1; i < batch.count; i++) if (!continues(i)) heads.push(i)
    const last = heads.length - 1
    // A copy of its own, taken first: the batch's bytes may go to another thread with the records before it.
    const held = sliceColumns(batch, heads[last] as number, batch.count, true)
    if (last > 0) {
      const recordLines = new Int32Array(last)
      for (let k = 0; k < last; k++) recordLines[k] = (heads[k + 1] as number) - (heads[k] as number)
      yield { ...sliceColumns(batch, lead, heads[last] as number), recordLines }
    }
    open = held
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
