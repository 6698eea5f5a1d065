import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { groupColumns, looksLikeContinuation, looksLikeFrame, recordsOf, ungroupedColumns } from './group-records.ts'
import type { RecordColumns } from './group-records.ts'
import { sliceColumns } from './line-columns.ts'
import type { LineColumns } from './line-columns.ts'
import { LineSplitter } from './line-splitter.ts'
import type { LogRecord } from './types.ts'

async function* batches(text: string, size: number): AsyncGenerator<LineColumns> {
  const splitter = new LineSplitter()
  const all = splitter.pushColumns(Buffer.from(text + '\n'))
  for (let i = 0; i < all.count; i += size) yield sliceColumns(all, i, Math.min(all.count, i + size))
}

/** `batches`, each batch's text as a string (as a chunk with a character outside ASCII gives it). */
async function* stringBatches(text: string, size: number): AsyncGenerator<LineColumns> {
  for await (const batch of batches(text, size)) yield { ...batch, text: typeof batch.text === 'string' ? batch.text : Buffer.from(batch.text).toString('latin1') }
}

async function collect(it: AsyncIterable<RecordColumns>): Promise<LogRecord[]> {
  const out: LogRecord[] = []
  for await (const b of it) out.push(...recordsOf(b))
  return out
}

const LOG = [
  '2024-01-01 10:00:00 ERROR Worker: job failed',
  'java.lang.IllegalStateException: boom',
  '\tat com.example.Worker.run(Worker.java:42)',
  '\tat java.base/java.lang.Thread.run(Thread.java:833)',
  'Caused by: java.io.IOException: disk full',
  '\t... 3 more',
  '2024-01-01 10:00:01 INFO Worker: retrying',
  '    indented continuation'
].join('\n')

describe('groupColumns', () => {
  it('groups stack frames and indented lines under the line that starts them, across batches', async () => {
    const records = await collect(groupColumns(batches(LOG, 3)))
    expect(records.map((r) => [r.head.lineNo, r.continuation.map((c) => c.lineNo)])).toEqual([
      [1, [2, 3, 4, 5, 6]],
      [7, [8]]
    ])
  })

  it('leaves exception headlines alone under the frame-only rule', async () => {
    const records = await collect(groupColumns(batches('Error: disk full\nError: disk full again\n  at x', 2), looksLikeFrame))
    expect(records.map((r) => [r.head.lineNo, r.continuation.map((c) => c.lineNo)])).toEqual([
      [1, []],
      [2, [3]]
    ])
  })

  it('can be switched off', async () => {
    const records = await collect(ungroupedColumns(batches(LOG, 3)))
    expect(records).toHaveLength(8)
    expect(records.every((r) => r.continuation.length === 0)).toBe(true)
  })

  it('groups the same whatever the batch size, and loses no line', async () => {
    const line = fc.constantFrom('2024-01-01 10:00:00 INFO a', '\tat x.y(Z.java:1)', 'Caused by: boom', 'java.lang.Error: x', '  indented', '')
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), async (lines, size) => {
        const text = lines.join('\n')
        const whole = await collect(groupColumns(batches(text, lines.length)))
        const cut = await collect(groupColumns(batches(text, size)))
        expect(cut).toEqual(whole)
        expect(cut.flatMap((r) => [r.head.text, ...r.continuation.map((c) => c.text)])).toEqual(lines)
        // Each record's first line is a head: the file's first line, or one that does not continue.
        cut.forEach((r, i) => expect(i === 0 || !looksLikeContinuation(r.head.text)).toBe(true))
      })
    )
  })

  it('groups a batch of ASCII bytes as it groups the same batch as a string', async () => {
    // Pieces that make or nearly make frames and exception headlines (their first word ends a run of `[\w$.]`), anywhere in a line.
    const piece = fc.constantFrom('2024-01-01 INFO', ' ', '\t', '.', 'at ', 'x.y(', 'Caused by: ', 'Suppressed: ', '... 3 more', '...', 'Error', 'Exception', ':', 'Traceback (most recent call last)', 'Traceback', 'Traceback (', 'java.lang.', 'a', 'C', 'S', 'T', 'boom', '$', '_', '9', '-', 'ErrorCode')
    const line = fc.array(piece, { maxLength: 5 }).map((p) => p.join(''))
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 7 }), async (lines, size) => {
        const text = lines.join('\n')
        for (const rule of [looksLikeContinuation, looksLikeFrame]) {
          expect(await collect(groupColumns(batches(text, size), rule))).toEqual(await collect(groupColumns(stringBatches(text, size), rule)))
        }
      })
    )
  })
})

