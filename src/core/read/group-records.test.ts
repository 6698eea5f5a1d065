import { describe, expect, it } from 'vitest'
import { groupRecords, looksLikeFrame, ungroupedRecords } from './group-records.ts'
import { splitBuffer } from './read-lines.ts'
import type { Line, LogRecord } from './types.ts'

async function* batches(text: string, size: number): AsyncGenerator<Line[]> {
  const lines = splitBuffer(Buffer.from(text))
  for (let i = 0; i < lines.length; i += size) yield lines.slice(i, i + size)
}

async function collect(it: AsyncIterable<LogRecord[]>): Promise<LogRecord[]> {
  const out: LogRecord[] = []
  for await (const b of it) out.push(...b)
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

describe('groupRecords', () => {
  it('groups stack frames and indented lines under the line that starts them, across batches', async () => {
    const records = await collect(groupRecords(batches(LOG, 3)))
    expect(records.map((r) => [r.head.lineNo, r.continuation.map((c) => c.lineNo)])).toEqual([
      [1, [2, 3, 4, 5, 6]],
      [7, [8]]
    ])
  })

  it('leaves exception headlines alone under the frame-only rule', async () => {
    const records = await collect(groupRecords(batches('Error: disk full\nError: disk full again\n  at x', 2), looksLikeFrame))
    expect(records.map((r) => [r.head.lineNo, r.continuation.map((c) => c.lineNo)])).toEqual([
      [1, []],
      [2, [3]]
    ])
  })

  it('can be switched off', async () => {
    const records = await collect(ungroupedRecords(batches(LOG, 3)))
    expect(records).toHaveLength(8)
    expect(records.every((r) => r.continuation.length === 0)).toBe(true)
  })
})
