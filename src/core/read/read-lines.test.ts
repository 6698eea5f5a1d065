import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
