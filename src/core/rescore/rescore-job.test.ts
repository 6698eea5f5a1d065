import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../case/case-store.ts'
import { runIngest } from '../ingest/run-ingest.ts'
import { writeSampleLog } from '../ingest/testing/sample-log.ts'
import { loadModel, saveModel } from '../model/model-file.ts'
import { trainModel } from '../model/train.ts'
import { trainModelFromCase } from '../model/train-case.ts'
import { Worker } from 'node:worker_threads'
import { defaultRescoreWorker, rescoreInWorker } from './rescore-job.ts'
import { threadExits } from '../testing/thread-exits.ts'
import { rescoreSource } from './rescore-source.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-rescore-job-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const casePath = join(dir, 'case.faultline')
const baselineModel = join(dir, 'baseline.model.json')
const selfModel = join(dir, 'self.model.json')

/** Everything a re-score writes, as one comparable value. */
function snapshot(): { scores: number[]; anomalies: unknown[]; sessions: unknown[]; templates: unknown[] } {
  const store = CaseStore.open(casePath)
  try {
    const db = store.db
    return {
      scores: store.lines(1, 1, store.source(1)?.lines ?? 0).map((l) => l.score),
      anomalies: db.prepare(`SELECT line_no, score, template_id, reasons FROM anomaly_reasons ORDER BY line_no`).raw().all(),
      sessions: db.prepare(`SELECT * FROM sessions ORDER BY source_id, id`).raw().all(),
      templates: db.prepare(`SELECT id, baseline_count, score, model_template FROM templates ORDER BY id`).raw().all()
    }
  } finally {
    store.close()
  }
}

beforeAll(async () => {
  const incident = join(dir, 'incident.log')
  const baseline = join(dir, 'baseline.log')
  await writeSampleLog(incident, { lines: 120_000, seed: 4 })
  await writeSampleLog(baseline, { lines: 30_000, seed: 5, fault: null })
  await runIngest({ casePath, sourcePath: incident })
  await saveModel(await trainModel([baseline]), baselineModel)
  const store = CaseStore.open(casePath)
  await saveModel(trainModelFromCase(store, 1), selfModel)
  store.close()
}, 120_000)

describe('re-scoring in worker threads', () => {
  it('splits the source across two threads and stores exactly what one thread does', async () => {
    const progress: number[] = []
    const exits = threadExits()
    const two = await rescoreInWorker(
      { casePath, sourceId: 1, modelPath: baselineModel, recordAs: '' },
      { createWorker: exits.track(defaultRescoreWorker), onProgress: (lines) => progress.push(lines) }
    )
    expect(await exits.ends()).toEqual(['exited', 'exited'])
    const after = snapshot()
    expect(two.flagged).toBeGreaterThan(0)
    expect(two.newlyFlagged).toBe(two.flagged)
    expect(after.scores).toHaveLength(120_000)
    expect(progress.length).toBeGreaterThan(0)

    const store = CaseStore.open(casePath)
    const one = await rescoreSource(store, 1, await loadModel(baselineModel))
    expect(store.activeModel()?.name).toBe('baseline.model.json')
    store.close()
    expect(one).toMatchObject({ flagged: two.flagged, newlyFlagged: 0, cleared: 0 })
    expect(snapshot()).toEqual(after)
  }, 60_000)

  it('a cancelled re-score leaves the old scores', async () => {
    const before = snapshot()
    const controller = new AbortController()
    const exits = threadExits()
    const job = rescoreInWorker(
      { casePath, sourceId: 1, modelPath: selfModel },
      { createWorker: exits.track(defaultRescoreWorker), signal: controller.signal, onProgress: () => controller.abort() }
    )
    setTimeout(() => controller.abort(), 50)
    await expect(job).rejects.toThrow(/cancelled/)
    // Asked to stop, both threads closed the case and exited by themselves.
    expect(await exits.ends()).toEqual(['exited', 'exited'])
    expect(snapshot()).toEqual(before)
  }, 60_000)

  it('on a source too small to split, the unused helper closes the case and exits by itself', async () => {
    const small = join(dir, 'small.faultline')
    const smallLog = join(dir, 'small.log')
    await writeSampleLog(smallLog, { lines: 2_000, seed: 6 })
    await runIngest({ casePath: small, sourcePath: smallLog })
    const exits = threadExits()
    for (let run = 0; run < 3; run++) {
      const result = await rescoreInWorker({ casePath: small, sourceId: 1, modelPath: baselineModel }, { createWorker: exits.track(defaultRescoreWorker) })
      expect(result.lines).toBe(2_000)
    }
    expect(await exits.ends()).toEqual(Array(6).fill('exited'))
  }, 60_000)
})

describe('a failing thread', () => {
  it('a helper thread that dies fails the re-score instead of hanging it, and the case keeps its scores', async () => {
    const before = snapshot()
    const job = rescoreInWorker(
      { casePath, sourceId: 1, modelPath: selfModel },
      { createWorker: (data) => (data.role === 'helper' ? new Worker('setTimeout(() => process.exit(3), 20)', { eval: true }) : defaultRescoreWorker(data)) }
    )
    await expect(job).rejects.toThrow(/stopped/)
    expect(snapshot()).toEqual(before)
  }, 60_000)
})

describe('crash safety', () => {
  it('after kill -9 at any point of a re-score the case holds the old scores or the new ones, never a mix', async () => {
    const store = CaseStore.open(casePath)
    await rescoreSource(store, 1, await loadModel(baselineModel))
    store.close()
    const byBaseline = snapshot()
    const reopened = CaseStore.open(casePath)
    await rescoreSource(reopened, 1, await loadModel(selfModel))
    reopened.close()
    const bySelf = snapshot()
    expect(bySelf.anomalies).not.toEqual(byBaseline.anomalies)

    for (const delay of [0, 150, 300, 450]) {
      const child = spawn(process.execPath, [fileURLToPath(new URL('./testing/rescore-child.ts', import.meta.url)), casePath, baselineModel, selfModel], {
        stdio: ['ignore', 'pipe', 'inherit']
      })
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => setTimeout(() => resolve(), delay))
        child.on('error', reject)
        child.on('exit', (code) => reject(new Error(`the child exited (${code}) before it could be killed`)))
      })
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      expect(child.signalCode).toBe('SIGKILL')
      const after = snapshot()
      expect([byBaseline, bySelf]).toContainEqual(after)
    }
  }, 120_000)
})
