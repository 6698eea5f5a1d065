import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { gzipSync } from 'node:zlib'
import { join } from 'node:path'
import type { MessagePort, Worker } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { openPackedSource, packedContent } from './packed-records.ts'
import type { PackedSource } from './packed-records.ts'
import { readerThread } from './reader-side.ts'
import type { ReaderPrefetch, ReaderWorkerData, RecordReader } from './reader-side.ts'
import { defaultReaderWorker } from './start-ingest.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-reader-'))
const write = (name: string, lines: number, tag: string): string => {
  const path = join(dir, name)
  const text = Array.from({ length: lines }, (_, i) => `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000Z INFO [api] ${tag} step ${i} trace=${tag}${Math.floor(i / 3)}aaaaaa`)
  writeFileSync(path, text.join('\n') + '\n')
  return path
}

async function contents(source: PackedSource, limit = Infinity): Promise<string[]> {
  const out: string[] = []
  for await (const batch of source.batches) {
    for (let r = 0; r < batch.recordLines.length; r++) out.push(packedContent(batch, r))
    if (out.length >= limit) break
  }
  return out
}

let reader: RecordReader | null = null
afterEach(() => reader?.close())

/** A reader thread told, as an ingest tells it, to open `file` before it is asked. */
function openingEarly(file: ReaderPrefetch): (data: ReaderWorkerData, transfer: MessagePort[]) => Worker {
  return (data, transfer) => {
    const thread = defaultReaderWorker(data, transfer)
    thread.postMessage(file)
    return thread
  }
}

describe('reader thread', () => {
  it('serves one source after another, even after one was left early', async () => {
    const big = write('big.log', 60_000, 'first')
    const small = write('small.log', 10, 'second')
    reader = readerThread(defaultReaderWorker)
    const early = await contents(await reader.open(big, {}), 5)
    expect(early[0]).toContain('trace=first0aaaaaa')
    // Nothing of the abandoned source may leak into the next one.
    const next = await contents(await reader.open(small, { sessionKey: null }))
    expect(next).toHaveLength(10)
    expect(next.every((c) => c.includes('trace=second'))).toBe(true)
    const again = await contents(await reader.open(big, {}))
    expect(again).toHaveLength(60_000)
  })

  it('hashes a file as it reads it when asked, and reports a missing one', async () => {
    const path = write('hash.log', 100, 'h')
    const gzipped = join(dir, 'hash.log.gz')
    writeFileSync(gzipped, gzipSync(readFileSync(path)))
    reader = readerThread(defaultReaderWorker)
    for (const file of [path, gzipped]) {
      const source = await reader.open(file, { hash: true })
      expect(await contents(source)).toHaveLength(100)
      // The file as stored: the compressed bytes of a .gz.
      expect(source.end().sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'))
    }
    const unasked = await reader.open(path, {})
    await contents(unasked)
    expect(unasked.end().sha256 ?? null).toBeNull()
    await expect(reader.open(join(dir, 'missing.log'), {})).rejects.toThrow(/ENOENT|no such file/)
  })

  it('serves a file it opened before it was asked (a new ingest) as it would have opened it then', async () => {
    const path = write('early.log', 30_000, 'early')
    reader = readerThread(openingEarly({ path }))
    const source = await reader.open(path, { hash: true, skipThrough: -1 })
    expect(await contents(source)).toEqual(await contents(await openPackedSource(path, { hash: true })))
    expect(source.end().sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'))
  })

  it('drops what it opened early when asked for something else, and a file it could not open early', async () => {
    const path = write('other.log', 50, 'other')
    const next = write('next.log', 20, 'next')
    reader = readerThread(openingEarly({ path: join(dir, 'missing-early.log') }))
    expect(await contents(await reader.open(path, { hash: true }))).toHaveLength(50)
    reader.close()
    reader = readerThread(openingEarly({ path }))
    // A resume reads with the layout the case holds: not the one detected early.
    const whole = await contents(await reader.open(path, { hash: true, spec: { kind: 'none' } }))
    expect(whole[0]).toMatch(/^2026-01-01T00:00:00.000Z INFO \[api\] other step 0 /)
    expect(await contents(await reader.open(next, { hash: true }))).toHaveLength(20)
  })

  it('has no hash for a file left before its end', async () => {
    const path = write('left.log', 60_000, 'left')
    const source = await openPackedSource(path, { hash: true })
    await contents(source, 5)
    expect(source.end().sha256 ?? null).toBeNull()
  })
})
