import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync, zstdCompressSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { readLineBatches } from './read-lines.ts'
import type { ReadProgress } from './read-lines.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-read-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function readAll(path: string, progress?: ReadProgress): Promise<string[]> {
  const out: string[] = []
  for await (const batch of readLineBatches(path, {}, progress)) for (const l of batch) out.push(l.text)
  return out
}

describe('readLineBatches', () => {
  const text = Array.from({ length: 50_000 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`).join('\n') + '\n'

  it('streams a plain file in batches', async () => {
    const path = join(dir, 'plain.log')
    writeFileSync(path, text)
    const lines = await readAll(path)
    expect(lines).toHaveLength(50_000)
    expect(lines[49_999]).toBe(`line 49999 ${'é'.repeat(49_999 % 7)}`)
  })

  it('reads a file of many chunks line for line as it is, its hash that of the file', async () => {
    // ~5 MB: five reads into the two buffers the reader takes turns with, lines across each seam,
    // ASCII and not, and one line longer than a chunk.
    const lines = Array.from({ length: 60_000 }, (_, i) => (i === 30_000 ? 'x'.repeat(1_500_000) : `${i} ${i % 3 ? 'ascii' : 'ünïcode'} ${'-'.repeat(i % 97)}`))
    const path = join(dir, 'chunks.log')
    writeFileSync(path, lines.join('\n') + '\n')
    const progress: ReadProgress = { compression: 'none', encoding: 'utf8', bytes: 0 }
    const read: string[] = []
    for await (const batch of readLineBatches(path, { hash: true, maxLineBytes: 2_000_000 }, progress)) for (const l of batch) read.push(l.text)
    expect(read.length).toBe(lines.length)
    expect(read.findIndex((line, i) => line !== lines[i])).toBe(-1)
    expect(progress.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'))
  })

  it('sniffs gzip and zstd by magic bytes, not by name', async () => {
    const gz = join(dir, 'renamed.txt')
    writeFileSync(gz, gzipSync(text))
    const zst = join(dir, 'dump.zst')
    writeFileSync(zst, zstdCompressSync(Buffer.from(text)))
    const progress: ReadProgress = { compression: 'none', encoding: 'utf8', bytes: 0 }
    expect(await readAll(gz, progress)).toHaveLength(50_000)
    expect(progress.compression).toBe('gzip')
    expect(progress.bytes).toBe(Buffer.byteLength(text))
    expect((await readAll(zst)).slice(0, 2)).toEqual(['line 0 ', 'line 1 é'])
  })

  it('reads an empty file as no lines', async () => {
    const path = join(dir, 'empty.log')
    writeFileSync(path, '')
    expect(await readAll(path)).toEqual([])
  })
})
