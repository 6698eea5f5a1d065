/**
 * Hostile inputs (issue #9), one test each at the engine level: every one gets a clear message or
 * sensible behaviour, and no case is left corrupted (it opens, or it is refused and untouched).
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { CaseStore } from '../case/case-store.ts'
import { runIngest } from '../ingest/run-ingest.ts'
import { startIngest } from '../ingest/start-ingest.ts'
import type { IngestProgress } from '../ingest/types.ts'
import { writeSampleLog } from '../ingest/testing/sample-log.ts'
import { loadModel } from '../model/model-file.ts'
import { readLineBatches } from '../read/read-lines.ts'
import { checkTextFile, readDecodedHead, sniffText } from '../read/sniff-text.ts'
import { truncationMarker } from '../read/line-splitter.ts'
import { Workspace } from '../workspace/workspace.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import { createLogger } from '../diagnostics/logger.ts'
import { systemClock } from '../service/deps.ts'
import { activeContentLines, corruptGzLines, plainLines, writeHostileCorpus } from './hostile-fixtures.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-hostile-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const corpus = writeHostileCorpus(join(dir, 'corpus'))
let counter = 0
const newCase = (): string => join(dir, `case-${++counter}.faultline`)

async function readTexts(path: string): Promise<string[]> {
  const out: string[] = []
  for await (const batch of readLineBatches(path)) for (const line of batch) out.push(line.text)
  return out
}

/** Opens a case and returns its first source and all its lines: a case that opens is not corrupted. */
function inspect(casePath: string): { state: string; error: string | null; texts: string[] } {
  const store = CaseStore.open(casePath)
  try {
    const source = store.source(1)
    if (!source) return { state: 'none', error: null, texts: [] }
    return { state: source.state, error: source.error, texts: store.lines(1, 1, source.lines).map((l) => l.text) }
  } finally {
    store.close()
  }
}

describe('hostile inputs: the reader', () => {
  it('an empty file is no lines, and text', async () => {
    expect(await readTexts(corpus.empty)).toEqual([])
    await expect(checkTextFile(corpus.empty)).resolves.toBeUndefined()
  })

  it('invalid UTF-8 decodes with replacement characters, every line kept', async () => {
    const texts = await readTexts(corpus.invalidUtf8)
    expect(texts).toHaveLength(corpus.expectedLines.invalidUtf8)
    expect(texts[0]).toBe('caf\uFFFD ordered (Latin-1)')
    expect(texts[1]).toContain('\uFFFD')
    expect(texts.at(-1)).toBe('\uFFFD')
  })

  it('UTF-16 with either byte-order mark, and without one, decodes', async () => {
    for (const path of [corpus.utf16le, corpus.utf16be, corpus.utf16leNoBom]) {
      const texts = await readTexts(path)
      expect(texts, path).toHaveLength(corpus.expectedLines.utf16)
      expect(texts[0]).toBe(plainLines(1)[0])
      expect(texts.at(-1)).toBe('grüße 日本 ✓')
    }
  })

  it('NUL bytes inside lines are kept as characters, and the file is still text', async () => {
    const texts = await readTexts(corpus.nulBytes)
    expect(texts).toHaveLength(corpus.expectedLines.nulBytes)
    expect(texts[3]).toBe('before\0after a NUL')
    expect(sniffText(readFileSync(corpus.nulBytes)).text).toBe(true)
  })

  it('a cut-off or damaged .gz gives every line before the break, then says what happened', async () => {
    // A cut-off stream: every line but the last (perhaps cut) is exact. Damaged data decodes to
    // some garbage before zlib notices (about 3,000 lines here), so only lines before the damage
    // (the middle of the stream) are checked there.
    for (const [path, words, whole, exact] of [
      [corpus.truncatedGz, /gzip data is damaged or cut off after [\d,]+ bytes \(it ends mid-stream\)/, plainLines(5_000), (n: number) => n - 1],
      [corpus.corruptGz, /gzip data is damaged or cut off/, plainLines(corruptGzLines), () => corruptGzLines * 0.4]
    ] as const) {
      const texts: string[] = []
      await expect(
        (async () => {
          for await (const batch of readLineBatches(path)) for (const line of batch) texts.push(line.text)
        })()
      ).rejects.toThrow(words)
      const checked = exact(texts.length)
      expect(texts.length).toBeGreaterThan(checked)
      expect(texts.slice(0, checked)).toEqual(whole.slice(0, checked))
    }
  })

  it('a single line of megabytes is kept to its first 64 KiB, its length recorded', async () => {
    const lines = []
    for await (const batch of readLineBatches(corpus.longLine)) lines.push(...batch)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({ truncated: true, byteLength: 8 << 20 })
    expect(lines[0]?.text.endsWith(truncationMarker(8 << 20))).toBe(true)
    expect(lines[0]?.text.length).toBeLessThan(70_000)
  })

  it('tells binary from text by the first 64 KiB, whatever the compression', async () => {
    expect(sniffText(await readDecodedHead(corpus.binary))).toEqual({ text: false, reason: 'it is an executable or a core dump (ELF)' })
    // Without a telling header, the share of bytes that are not text decides, and is given.
    expect(sniffText(readFileSync(corpus.binary).subarray(64))).toMatchObject({ text: false, reason: expect.stringMatching(/NUL bytes.*not UTF-8/) })
    for (const path of [corpus.invalidUtf8, corpus.utf16le, corpus.utf16be, corpus.utf16leNoBom, corpus.truncatedGz, corpus.activeContent, corpus.sparse]) {
      expect(sniffText(await readDecodedHead(path)), path).toEqual({ text: true, reason: null })
    }
    expect(sniffText(Buffer.alloc(4096)).text).toBe(false)
  })
})

describe('hostile inputs: ingest', () => {
  it('refuses a binary file before touching the case, and reads it as text when asked anyway', async () => {
    const casePath = newCase()
    await expect(startIngest({ casePath, sourcePath: corpus.binary }).done).rejects.toThrow(/does not look like a text log: .*Open it anyway/)
    expect(existsSync(casePath)).toBe(false)
    const summary = await startIngest({ casePath, sourcePath: corpus.binary, anyway: true }).done
    expect(summary.state).toBe('complete')
    expect(inspect(casePath).texts.length).toBe(summary.lines)
  })

  it('refuses a folder and an unreadable file before touching the case', async () => {
    const casePath = newCase()
    await expect(startIngest({ casePath, sourcePath: corpus.folder }).done).rejects.toThrow(/is a folder; choose a log file/)
    expect(existsSync(casePath)).toBe(false)
    const locked = join(dir, 'locked.log')
    writeFileSync(locked, 'secret\n')
    chmodSync(locked, 0)
    if (process.getuid?.() !== 0) {
      await expect(startIngest({ casePath, sourcePath: locked }).done).rejects.toThrow(/Cannot read .*permission denied/)
      expect(existsSync(casePath)).toBe(false)
    } else {
      // root reads anything: the check the ingest starts with runs as nobody instead.
      chmodSync(dir, 0o711)
      const check = `import { checkTextFile } from ${JSON.stringify(fileURLToPath(new URL('../read/sniff-text.ts', import.meta.url)))}
await checkTextFile(${JSON.stringify(locked)}).then(() => console.log('read'), (error) => console.log(error.message))`
      const run = spawnSync(process.execPath, ['--input-type=module', '-e', check], { uid: 65534, gid: 65534, encoding: 'utf8' })
      expect(run.stdout.trim()).toBe(`Cannot read ${locked}: permission denied`)
    }
  })

  it('stores every line of awkward text as it is: invalid UTF-8, UTF-16, NUL bytes, escapes and markup', async () => {
    const cases = [
      [corpus.invalidUtf8, corpus.expectedLines.invalidUtf8],
      [corpus.utf16leNoBom, corpus.expectedLines.utf16],
      [corpus.nulBytes, corpus.expectedLines.nulBytes],
      [corpus.activeContent, corpus.expectedLines.activeContent]
    ] as const
    for (const [path, lines] of cases) {
      const casePath = newCase()
      const summary = await runIngest({ casePath, sourcePath: path })
      expect(summary, path).toMatchObject({ state: 'complete', lines })
      expect(inspect(casePath).texts).toEqual(await readTexts(path))
    }
    // Escapes and markup are data: stored byte for byte, for the viewer to show as text.
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: corpus.activeContent })
    expect(inspect(casePath).texts.slice(3)).toEqual(activeContentLines)
  })

  it('keeps a cut-off .gz as a partial source with the lines before the break and the reason', async () => {
    const casePath = newCase()
    const summary = await startIngest({ casePath, sourcePath: corpus.truncatedGz }).done
    expect(summary.state).toBe('partial')
    expect(summary.error).toMatch(/gzip data is damaged or cut off/)
    const { state, error, texts } = inspect(casePath)
    expect({ state, error }).toEqual({ state: 'partial', error: summary.error })
    expect(texts.length).toBe(summary.lines)
    expect(texts.slice(0, -1)).toEqual(plainLines(5_000).slice(0, texts.length - 1))
  })

  it('a file deleted during the ingest is read to its end (the open file lives on)', async () => {
    const path = join(dir, 'deleted.log')
    const { lines } = await writeSampleLog(path, { lines: 60_000, seed: 11 })
    const casePath = newCase()
    let deleted = false
    const summary = await runIngest(
      { casePath, sourcePath: path, progressIntervalMs: 0 },
      {
        onProgress: () => {
          if (!deleted) unlinkSync(path)
          deleted = true
        }
      }
    )
    expect(deleted).toBe(true)
    expect(summary).toMatchObject({ state: 'complete', lines })
  })

  it('a file truncated during the ingest ends as a partial source that says it shrank', async () => {
    const path = join(dir, 'shrinking.log')
    const { bytes } = await writeSampleLog(path, { lines: 100_000, seed: 12 })
    const original = readFileSync(path, 'utf8').split('\n')
    const casePath = newCase()
    let cut = false
    const summary = await runIngest(
      { casePath, sourcePath: path, progressIntervalMs: 0 },
      {
        onProgress: (p: IngestProgress) => {
          if (!cut && p.bytes > 0) {
            truncateSync(path, Math.floor(bytes / 2))
            cut = true
          }
        }
      }
    )
    expect(summary.state).toBe('partial')
    expect(summary.error).toMatch(/the file shrank while it was read/)
    const { texts } = inspect(casePath)
    expect(texts.length).toBeLessThan(original.length - 1)
    expect(texts.slice(0, -1)).toEqual(original.slice(0, texts.length - 1))
  })

  it('a sparse file: progress against its full size, the hole read as one capped line', async () => {
    const casePath = newCase()
    const progress: IngestProgress[] = []
    const summary = await startIngest({ casePath, sourcePath: corpus.sparse, progressIntervalMs: 0 }, { onProgress: (p) => progress.push(p) }).done
    expect(summary).toMatchObject({ state: 'complete', lines: corpus.expectedLines.sparseHead + 1, bytes: 256 << 20 })
    expect(progress.some((p) => p.totalBytes === 256 << 20 && p.bytes > 0 && p.bytes < 256 << 20)).toBe(true)
    const { texts } = inspect(casePath)
    expect(texts.slice(0, -1)).toEqual(plainLines(corpus.expectedLines.sparseHead))
    expect(texts.at(-1)?.length).toBeLessThan(70_000)
  })

  it('a single line of megabytes is stored capped and flagged', async () => {
    const casePath = newCase()
    const summary = await startIngest({ casePath, sourcePath: corpus.longLine }).done
    expect(summary).toMatchObject({ state: 'complete', lines: 1, bytes: 8 << 20 })
    expect(inspect(casePath).texts[0]?.endsWith(truncationMarker(8 << 20))).toBe(true)
  })

  it('fails cleanly when the disk fills up while the case is written, and the case still opens', () => {
    const source = join(dir, 'big-for-disk.log')
    const casePath = newCase()
    return writeSampleLog(source, { lines: 120_000, seed: 13 }).then(() => {
      const child = fileURLToPath(new URL('./ingest-limited-child.ts', import.meta.url))
      // 2 MiB file size limit for everything the child writes; SIGXFSZ ignored so writes fail with EFBIG.
      const run = spawnSync('bash', ['-c', 'ulimit -f 2048; trap "" XFSZ; exec "$0" "$@"', process.execPath, child, casePath, source], { encoding: 'utf8' })
      expect(run.status).toBe(0)
      const outcome = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; message?: string }
      expect(outcome.ok).toBe(false)
      expect(outcome.message).toMatch(/Could not write the case: the disk is full or a file size limit was reached/)
      const { state, texts } = inspect(casePath)
      expect(['failed', 'ingesting']).toContain(state)
      expect(texts.length).toBeGreaterThan(0)
      expect(texts).toEqual(readFileSync(source, 'utf8').split('\n').slice(0, texts.length))
    })
  }, 60_000)
})

describe('hostile inputs: cases and models', () => {
  it('refuses a cut-short case file with a clear error and leaves it as it was', async () => {
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: corpus.activeContent })
    const big = join(dir, 'big.log')
    writeFileSync(big, plainLines(20_000).join('\n') + '\n')
    await runIngest({ casePath, sourcePath: big })
    const cut = join(dir, 'cut.faultline')
    copyFileSync(casePath, cut)
    truncateSync(cut, Math.floor(readFileSync(cut).length / 2))
    const before = readFileSync(cut)
    expect(() => CaseStore.open(cut)).toThrow(/is damaged: it is cut short/)
    expect(readFileSync(cut).equals(before)).toBe(true)
    expect(existsSync(`${cut}-wal`)).toBe(false)
  })

  it('a case with garbage over its pages is refused or fails reads with an error, never a crash', async () => {
    const casePath = newCase()
    writeFileSync(join(dir, 'pages.log'), plainLines(20_000).join('\n') + '\n')
    await runIngest({ casePath, sourcePath: join(dir, 'pages.log') })
    const bytes = readFileSync(casePath)
    for (let i = 8192; i < bytes.length - 4096; i += 4096) bytes.fill(0xa5, i, i + 512)
    writeFileSync(casePath, bytes)
    let outcome: string
    try {
      const store = CaseStore.open(casePath)
      try {
        store.lines(1, 1, 20_000)
        store.templates()
        outcome = 'read'
      } catch (error) {
        outcome = `read failed: ${(error as Error).message}`
      } finally {
        store.close()
      }
    } catch (error) {
      outcome = `refused: ${(error as Error).message}`
    }
    expect(outcome).toMatch(/malformed|damaged|Cannot open|not a database|read failed/)
  })

  it('refuses a foreign or damaged model, and an ingest with one leaves no source behind', async () => {
    await expect(loadModel(corpus.foreignModel)).rejects.toThrow(/is not a Faultline model file/)
    await expect(loadModel(corpus.corruptModel)).rejects.toThrow(/is not a Faultline model: not valid JSON/)
    await expect(loadModel(corpus.binary)).rejects.toThrow(/is not a Faultline model/)
    const casePath = newCase()
    await expect(startIngest({ casePath, sourcePath: corpus.nulBytes, scorer: { kind: 'model', path: corpus.corruptModel } }).done).rejects.toThrow(/not a Faultline model/)
    if (existsSync(casePath)) expect(inspect(casePath).texts).toEqual([])
  })
})

describe('hostile inputs: the workspace', () => {
  const changed: CaseSummary[] = []
  const workspace = (): Workspace =>
    new Workspace({
      dataDir: join(dir, `data-${++counter}`),
      sampleDir: join(dir, 'no-sample'),
      clock: systemClock,
      log: createLogger({ clock: systemClock }),
      onProgress: () => {},
      onChanged: (summary) => changed.push(summary)
    })

  it('says a binary file is not a text log (code not_text) and makes no case; opens it when asked anyway', async () => {
    const ws = workspace()
    const refused = await ws.openLog(corpus.binary, []).catch((error: unknown) => error)
    expect(refused).toBeInstanceOf(ApiError)
    expect(refused).toMatchObject({ code: 'not_text', message: expect.stringMatching(/does not look like a text log/) })
    expect(readdirSync(ws.casesDir)).toEqual([])
    const opened = await ws.openLog(corpus.binary, [], { anyway: true })
    await vi.waitFor(() => expect(changed.some((c) => c.caseId === opened.caseId && c.sources[0]?.state === 'complete')).toBe(true), { timeout: 20_000, interval: 50 })
    ws.closeAll()
  })
})
