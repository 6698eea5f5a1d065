import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lineFlag } from '../case/block-codec.ts'
import type { StoredLine } from '../case/block-reader.ts'
import { CaseStore } from '../case/case-store.ts'
import type { LineScorer } from '../model/line-scorer.ts'
import { saveModel } from '../model/model-file.ts'
import { trainModel } from '../model/train.ts'
import { levelCode, normalizeLevel } from '../../shared/levels.ts'
import { runIngest } from './run-ingest.ts'
import { defaultCommitWorker, defaultIngestWorker, defaultReaderWorker, IngestThreads, startIngest } from './start-ingest.ts'
import type { IngestWorkerFactories } from './start-ingest.ts'
import { writeSampleLog } from './testing/sample-log.ts'
import { threadExits } from '../testing/thread-exits.ts'
import type { ThreadExits } from '../testing/thread-exits.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-ingest-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
const newCase = (): string => join(dir, `case-${++counter}.faultline`)

/** Flags error-level records, so the anomaly path is exercised without a model. */
const errorScorer: LineScorer = {
  scoreLine: (input) =>
    input.level >= levelCode.error ? { score: 0.8, anomaly: true, reasons: [`error in ${input.template.split(' ')[0] ?? '?'}`] } : { score: 0.1, anomaly: false, reasons: [] }
}

function allLines(casePath: string, sourceId = 1): { store: CaseStore; lines: StoredLine[] } {
  const store = CaseStore.open(casePath)
  const source = store.source(sourceId)
  return { store, lines: store.lines(sourceId, 1, source?.lines ?? 0) }
}

/** What must be identical between two ingests of one file: everything but raw template ids. */
function comparable(store: CaseStore, lines: StoredLine[]): unknown[] {
  const canonical = store.canonicalTemplates()
  const text = new Map(store.db.prepare(`SELECT id, text FROM templates`).all().map((r) => [(r as { id: number }).id, (r as { text: string }).text]))
  return lines.map((l) => [l.lineNo, l.offset, l.text, l.ts, l.level, l.flags, l.session, l.score, text.get(canonical.get(l.template) ?? -1)])
}

/** The default thread factories, each thread tracked by `exits`. */
function trackedFactories(exits: ThreadExits): IngestWorkerFactories {
  return {
    createWorker: exits.track(defaultIngestWorker),
    createCommitWorker: exits.track(defaultCommitWorker),
    createReaderWorker: exits.track(defaultReaderWorker)
  }
}

let small: { path: string; lines: string[] }
let medium: string

beforeAll(async () => {
  const path = join(dir, 'small.log')
  await writeSampleLog(path, { lines: 20_000, seed: 3 })
  small = { path, lines: readFileSync(path, 'utf8').split('\n').slice(0, -1) }
  medium = join(dir, 'medium.log')
  await writeSampleLog(medium, { lines: 150_000, seed: 5 })
})

describe('ingest through the worker', () => {
  it('stores every line with its columns, templates and levels', async () => {
    const casePath = newCase()
    const job = startIngest({ casePath, sourcePath: small.path })
    const summary = await job.done
    expect(await job.started).toBe(1)
    expect(summary).toMatchObject({ state: 'complete', lines: small.lines.length, compression: 'none', encoding: 'utf8' })
    expect(summary.templates).toBeGreaterThan(10)
    expect(summary.sha256).toBe(createHash('sha256').update(readFileSync(small.path)).digest('hex'))

    const { store, lines } = allLines(casePath)
    try {
      expect(lines.map((l) => l.text)).toEqual(small.lines)
      expect(store.source(1)).toMatchObject({ state: 'complete', lines: small.lines.length, format: summary.format, sha256: summary.sha256 })
      let offset = 0
      let continuations = 0
      for (const [i, line] of lines.entries()) {
        expect(line.offset).toBe(offset)
        offset += Buffer.byteLength(small.lines[i] as string) + 1
        const isContinuation = /^(\t|java\.|Caused by)/.test(line.text)
        // The sample's session key is its trace id; continuation lines share their record's.
        if (isContinuation) expect(line.session).toBe((lines[i - 1] as StoredLine).session)
        else expect(line.session >= 0, line.text).toBe(/trace=\w{6,}/.test(line.text))
        expect((line.flags & lineFlag.continuation) !== 0, line.text).toBe(isContinuation)
        if (isContinuation) {
          continuations++
          const previous = lines[i - 1] as StoredLine
          expect(line.ts).toBe(previous.ts)
          expect(line.template).toBe(previous.template)
        } else {
          expect(line.ts).toBe(Date.parse(line.text.slice(0, 24)))
          expect(line.level).toBe(normalizeLevel(line.text.slice(25, 30).trim()))
        }
      }
      expect(continuations).toBeGreaterThan(0)
      // The template table follows merges: every stored id resolves to a listed template.
      const canonical = store.canonicalTemplates()
      const listed = new Set(store.templates().map((t) => t.id))
      for (const line of lines) expect(listed.has(canonical.get(line.template) ?? -1)).toBe(true)
      expect(store.templates().reduce((n, t) => n + t.count, 0)).toBe(lines.filter((l) => !(l.flags & lineFlag.continuation)).length)
      expect(store.minerState()).not.toBeNull()
    } finally {
      store.close()
    }
  })

  it('stores the same case whether reading and committing run on threads of their own or not', async () => {
    const spread = newCase()
    const single = newCase()
    // Batches enough (~20 MB) for their buffers to go round: reader, pipeline, commit thread, and back.
    await startIngest({ casePath: spread, sourcePath: medium }, { readerThread: true, commitThread: true }).done
    await startIngest({ casePath: single, sourcePath: medium }, { readerThread: false, commitThread: false }).done
    const a = allLines(spread)
    const b = allLines(single)
    try {
      expect(comparable(a.store, a.lines)).toEqual(comparable(b.store, b.lines))
      expect(a.store.templates()).toEqual(b.store.templates())
    } finally {
      a.store.close()
      b.store.close()
    }
  })

  it('every thread closes the case and exits by itself once the ingest is done, none is terminated', async () => {
    const exits = threadExits()
    const factories = trackedFactories(exits)
    await startIngest({ casePath: newCase(), sourcePath: small.path }, { readerThread: true, commitThread: true, ...factories }).done
    await expect(startIngest({ casePath: newCase(), sourcePath: join(dir, 'nope.log') }, { readerThread: true, commitThread: true, ...factories }).done).rejects.toThrow(
      /No file at/
    )
    expect(await exits.ends()).toEqual(Array(6).fill('exited'))
  })

  it('runs an ingest on threads started ahead as on threads started with it, and they exit by themselves after', async () => {
    const exits = threadExits()
    const factories = trackedFactories(exits)
    const ahead = new IngestThreads({ readerThread: true, commitThread: true, ...factories })
    // Up and idle for a while, as in an app waiting for the user to pick a file.
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(ahead.usable).toBe(true)
    const warm = newCase()
    const cold = newCase()
    const job = startIngest({ casePath: warm, sourcePath: small.path }, { threads: ahead })
    expect(ahead.usable).toBe(false)
    expect(await job.done).toMatchObject({ state: 'complete', lines: small.lines.length })
    await startIngest({ casePath: cold, sourcePath: small.path }).done
    const a = allLines(warm)
    const b = allLines(cold)
    try {
      expect(comparable(a.store, a.lines)).toEqual(comparable(b.store, b.lines))
    } finally {
      a.store.close()
      b.store.close()
    }
    expect(await exits.ends()).toEqual(Array(3).fill('exited'))
  })

  it('lets threads started ahead go unused: each exits by itself', async () => {
    const exits = threadExits()
    const ahead = new IngestThreads({ readerThread: true, commitThread: true, ...trackedFactories(exits) })
    ahead.dispose()
    expect(ahead.usable).toBe(false)
    expect(await exits.ends()).toEqual(Array(3).fill('exited'))
  })

  it('starts new threads when those started ahead cannot run the ingest (one failed to start)', async () => {
    const broken = new IngestThreads({ createWorker: () => new Worker('process.exit(3)', { eval: true }) })
    await new Promise((resolve) => broken.pipeline.once('exit', resolve))
    expect(broken.usable).toBe(false)
    expect(await startIngest({ casePath: newCase(), sourcePath: small.path }, { threads: broken }).done).toMatchObject({ state: 'complete', lines: small.lines.length })
  })

  it('shows committed lines to a reader while the ingest goes on', async () => {
    const casePath = newCase()
    const job = startIngest({ casePath, sourcePath: medium, commitIntervalMs: 20 })
    const sourceId = await job.started
    let finished = false
    void job.done.then(() => (finished = true))
    let seenWhileIngesting = 0
    let firstSeen = 0
    while (!finished) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      const reader = CaseStore.open(casePath)
      try {
        const source = reader.source(sourceId)
        if (source && source.state === 'ingesting' && source.lines > 0) {
          const window = reader.lines(sourceId, 1, 50)
          expect(window[0]?.lineNo).toBe(1)
          // The index reads what is committed when it refreshes, which may already be more.
          expect(reader.index(sourceId).length).toBeGreaterThanOrEqual(source.lines)
          seenWhileIngesting = Math.max(seenWhileIngesting, source.lines)
          firstSeen ||= source.lines
        }
      } finally {
        reader.close()
      }
    }
    expect((await job.done).lines).toBe(150_000)
    expect(seenWhileIngesting).toBeGreaterThan(0)
    // All lines are visible while the sessions are scored, before the source is complete.
    expect(firstSeen).toBeLessThan(150_000)
  })

  it('ingests a 0-byte file as an empty, complete source', async () => {
    const empty = join(dir, 'empty.log')
    writeFileSync(empty, '')
    const casePath = newCase()
    const summary = await startIngest({ casePath, sourcePath: empty }).done
    expect(summary).toMatchObject({ state: 'complete', lines: 0, templates: 0, flagged: 0 })
    const store = CaseStore.open(casePath)
    expect(store.source(1)).toMatchObject({ state: 'complete', lines: 0, bytesRead: 0 })
    expect(store.lines(1, 1, 10)).toEqual([])
    expect(store.index(1).length).toBe(0)
    store.close()
  })

  it('reports a missing source file as an error', async () => {
    await expect(startIngest({ casePath: newCase(), sourcePath: join(dir, 'nope.log') }).done).rejects.toThrow(/No file at/)
  })
})

describe('scoring with a model', () => {
  it('scores with a model file in the worker, mining with the model\'s template ids', async () => {
    const baseline = join(dir, 'baseline.log')
    await writeSampleLog(baseline, { lines: 20_000, seed: 11, fault: null })
    const modelPath = join(dir, 'baseline.model.json')
    await saveModel(await trainModel([baseline]), modelPath)
    const casePath = newCase()
    const summary = await startIngest({ casePath, sourcePath: small.path, scorer: { kind: 'model', path: modelPath } }).done
    expect(summary.state).toBe('complete')
    expect(summary.flagged).toBeGreaterThan(0)
    expect(summary.topReasons.length).toBeGreaterThan(0)
    const store = CaseStore.open(casePath)
    try {
      const flagged = store.db.prepare(`SELECT line_no, score, reasons FROM anomaly_reasons WHERE source_id = 1 ORDER BY line_no`).all() as { line_no: number; score: number; reasons: string }[]
      expect(flagged.length).toBe(summary.flagged)
      // Counted as the lines were flagged, the reasons agree with the stored anomalies.
      const stored = store.db
        .prepare(`SELECT r.value AS reason, count(*) AS count FROM anomaly_reasons a, json_each(a.reasons) r GROUP BY r.value ORDER BY count DESC, reason LIMIT 5`)
        .all()
      expect(summary.topReasons).toEqual(stored)
      const first = flagged[0] as (typeof flagged)[number]
      expect(store.lines(1, first.line_no, 1)[0]?.score).toBeCloseTo(first.score, 5)
      expect((JSON.parse(first.reasons) as string[]).length).toBeGreaterThan(0)
      // The common templates were known to the model: their ids carry its reference counts.
      const top = store.templates()[0]
      expect(top?.baselineCount).toBeGreaterThan(0)
      expect(store.templates().reduce((n, t) => n + t.count, 0)).toBe(store.lines(1, 1, 30_000).filter((l) => !(l.flags & lineFlag.continuation)).length)
    } finally {
      store.close()
    }
  })

  it('records the model in the case, resumes with it, and refuses a model the case was not mined with', async () => {
    const baseline = join(dir, 'baseline-2.log')
    await writeSampleLog(baseline, { lines: 10_000, seed: 12, fault: null })
    const modelPath = join(dir, 'baseline-2.model.json')
    await saveModel(await trainModel([baseline]), modelPath)
    const reference = await startIngest({ casePath: newCase(), sourcePath: medium, scorer: { kind: 'model', path: modelPath } }).done

    const casePath = newCase()
    const job = startIngest({ casePath, sourcePath: medium, scorer: { kind: 'model', path: modelPath }, commitIntervalMs: 10 }, {
      onProgress: (p) => p.lines > 30_000 && job.cancel()
    })
    expect((await job.done).state).toBe('cancelled')
    const resumed = await startIngest({ casePath, resumeSourceId: 1 }).done
    expect(resumed).toMatchObject({ state: 'complete', model: 'baseline-2.model.json', flagged: reference.flagged, lines: reference.lines })

    const store = CaseStore.open(casePath)
    expect(store.activeModel()?.name).toBe('baseline-2.model.json')
    store.close()
    // A case mined without this model cannot be scored with it.
    const plain = newCase()
    await startIngest({ casePath: plain, sourcePath: small.path }).done
    await expect(startIngest({ casePath: plain, sourcePath: medium, scorer: { kind: 'model', path: modelPath } }).done).rejects.toThrow(/not mined with/)
    const untouched = CaseStore.open(plain)
    expect(untouched.sources()).toHaveLength(1)
    untouched.close()
  }, 30_000)

  it('reports a model file that cannot be read', async () => {
    const bad = join(dir, 'bad.model.json')
    writeFileSync(bad, '{"format":"something else"}')
    await expect(startIngest({ casePath: newCase(), sourcePath: small.path, scorer: { kind: 'model', path: bad } }).done).rejects.toThrow(/not a Faultline model/)
  })
})

describe('cancel and resume', () => {
  it('cancels keeping committed lines, and a resume gives exactly the lines of a full ingest', async () => {
    const reference = newCase()
    const full = await runIngest({ casePath: reference, sourcePath: medium }, { scorer: errorScorer })
    expect(full.flagged).toBeGreaterThan(0)

    const casePath = newCase()
    const cancel = new AbortController()
    const first = await runIngest(
      { casePath, sourcePath: medium, commitIntervalMs: 5, progressIntervalMs: 0, checkpointIntervalMs: 0 },
      { scorer: errorScorer, signal: cancel.signal, onProgress: (p) => p.lines > 40_000 && cancel.abort() }
    )
    expect(first.state).toBe('cancelled')
    expect(first.lines).toBeGreaterThan(40_000)
    expect(first.lines).toBeLessThan(150_000)
    const partial = allLines(casePath)
    expect(partial.store.source(1)).toMatchObject({ state: 'cancelled', lines: first.lines })
    expect(partial.lines.length).toBe(first.lines)
    partial.store.close()

    const resumed = await runIngest({ casePath, resumeSourceId: 1 }, { scorer: errorScorer })
    expect(resumed).toMatchObject({ state: 'complete', lines: full.lines, resumedAt: first.lines, linesAdded: full.lines - first.lines, flagged: full.flagged })
    expect(resumed.topReasons).toEqual(full.topReasons)
    const a = allLines(reference)
    const b = allLines(casePath)
    try {
      expect(comparable(b.store, b.lines)).toEqual(comparable(a.store, a.lines))
      expect(b.store.templates().map((t) => [t.text, t.count])).toEqual(a.store.templates().map((t) => [t.text, t.count]))
    } finally {
      a.store.close()
      b.store.close()
    }
  })

  it('resumes one source after another was added, without counting its lines twice', async () => {
    const casePath = newCase()
    const cancel = new AbortController()
    const first = await runIngest(
      { casePath, sourcePath: medium, commitIntervalMs: 5, progressIntervalMs: 0 },
      { signal: cancel.signal, onProgress: (p) => p.lines > 20_000 && cancel.abort() }
    )
    expect(first.state).toBe('cancelled')
    const second = await runIngest({ casePath, sourcePath: small.path })
    expect(second).toMatchObject({ sourceId: 2, state: 'complete', lines: small.lines.length })
    await runIngest({ casePath, resumeSourceId: 1 })
    const store = CaseStore.open(casePath)
    try {
      expect(store.sources().map((s) => [s.id, s.state, s.lines])).toEqual([
        [1, 'complete', 150_000],
        [2, 'complete', small.lines.length]
      ])
      expect(store.lines(2, 1, 3).map((l) => l.text)).toEqual(small.lines.slice(0, 3))
      const heads = (id: number): number => store.lines(id, 1, 200_000).filter((l) => !(l.flags & lineFlag.continuation)).length
      expect(store.templates().reduce((n, t) => n + t.count, 0)).toBe(heads(1) + heads(2))
    } finally {
      store.close()
    }
  })

  it('refuses to resume when the source file shrank', async () => {
    const copy = join(dir, 'shrinks.log')
    writeFileSync(copy, readFileSync(small.path))
    const casePath = newCase()
    const cancel = new AbortController()
    await runIngest({ casePath, sourcePath: copy, commitIntervalMs: 5, progressIntervalMs: 0 }, { signal: cancel.signal, onProgress: (p) => p.lines > 2_000 && cancel.abort() })
    writeFileSync(copy, 'something else\n')
    await expect(runIngest({ casePath, resumeSourceId: 1 })).rejects.toThrow(/changed since/)
    // Same size, other lines: caught when the last committed line does not match (every line
    // changes, so wherever the cancel landed).
    writeFileSync(copy, readFileSync(small.path, 'utf8').toUpperCase())
    await expect(runIngest({ casePath, resumeSourceId: 1 })).rejects.toThrow(/not the line the case holds/)
    const store = CaseStore.open(casePath)
    expect(store.source(1)?.state).toBe('failed')
    store.close()
  })

  it('refuses to ingest into a file that is not a case, leaving it untouched', async () => {
    const junk = join(dir, 'junk.faultline')
    writeFileSync(junk, Buffer.alloc(8192, 7))
    await expect(startIngest({ casePath: junk, sourcePath: small.path }).done).rejects.toThrow(/Cannot open/)
    expect(readFileSync(junk).equals(Buffer.alloc(8192, 7))).toBe(true)
  })

  it('refuses to resume a complete source', async () => {
    const casePath = newCase()
    await runIngest({ casePath, sourcePath: small.path })
    await expect(runIngest({ casePath, resumeSourceId: 1 })).rejects.toThrow(/already complete/)
  })
})

describe('crash safety', () => {
  it('after kill -9 mid-ingest the case reopens intact and a resume completes it without gaps or duplicates', async () => {
    const big = join(dir, 'big.log')
    const { lines: total } = await writeSampleLog(big, { lines: 400_000, seed: 9 })
    const casePath = newCase()
    const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/ingest-child.ts', import.meta.url)), casePath, big], { stdio: ['ignore', 'pipe', 'inherit'] })
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buffered = ''
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString()
        const seen = [...buffered.matchAll(/lines (\d+)/g)].map((m) => Number(m[1]))
        const last = seen.at(-1) ?? 0
        if (last > 100_000 && child.exitCode === null && !child.killed) {
          child.kill('SIGKILL')
          resolve(last)
        }
        if (buffered.includes('done')) reject(new Error('the child finished before it could be killed'))
      })
      child.on('error', reject)
    })
    await new Promise((resolve) => child.once('exit', resolve))
    expect(child.signalCode).toBe('SIGKILL')

    const source = readFileSync(big, 'utf8').split('\n').slice(0, -1)
    const after = allLines(casePath)
    const committed = after.store.source(1)
    expect(committed?.state).toBe('ingesting')
    expect(committed?.lines).toBeGreaterThan(0)
    expect(committed?.lines).toBeLessThan(total)
    expect(committed?.lines).toBeGreaterThanOrEqual(killedAt - 20_000)
    expect(after.lines.length).toBe(committed?.lines)
    expect(after.lines.map((l) => l.text)).toEqual(source.slice(0, after.lines.length))
    // The resume point is the offset of the first line not committed.
    const expectedBytes = source.slice(0, after.lines.length).reduce((n, text) => n + Buffer.byteLength(text) + 1, 0)
    expect(committed?.bytesRead).toBe(expectedBytes)
    after.store.close()

    const resumed = await startIngest({ casePath, resumeSourceId: 1 }).done
    expect(resumed).toMatchObject({ state: 'complete', lines: total })
    const done = allLines(casePath)
    try {
      expect(done.lines.map((l) => l.lineNo)).toEqual(Array.from({ length: total }, (_, i) => i + 1))
      expect(done.lines.map((l) => l.text)).toEqual(source)
      expect(done.store.templates().reduce((n, t) => n + t.count, 0)).toBe(done.lines.filter((l) => !(l.flags & lineFlag.continuation)).length)
    } finally {
      done.store.close()
    }
  }, 60_000)
})
