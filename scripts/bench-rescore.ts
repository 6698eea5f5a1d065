/**
 * Retrain and re-score benchmark (issues #6, #8): a generated incident is ingested unscored into
 * a case (setup, not timed), then timed on this thread:
 *   - training from the case's own stored lines (self-training, no re-read of the log);
 *   - training from a generated baseline file of the same size, seeded with the case's miner: on
 *     this thread (with a reader thread beside it), and as the app does (a training worker, its
 *     reader thread, and the model file written);
 *   - re-scoring every line of the case in place against each model, on this thread and in the
 *     worker threads the app uses (2 by default; process CPU then counts both).
 *   node scripts/bench-rescore.ts [--lines 1000000]
 * Prints wall and CPU seconds (process.cpuUsage: user + system, this process).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CaseStore } from '../src/core/case/case-store.ts'
import { parseCheckpoint } from '../src/core/ingest/miner-checkpoint.ts'
import { runIngest } from '../src/core/ingest/run-ingest.ts'
import { writeSampleLog } from '../src/core/ingest/testing/sample-log.ts'
import { saveModel } from '../src/core/model/model-file.ts'
import { trainModel } from '../src/core/model/train.ts'
import { trainInWorker } from '../src/core/model/train-job.ts'
import { rescoreInWorker } from '../src/core/rescore/rescore-job.ts'
import { trainModelFromCase } from '../src/core/model/train-case.ts'
import { rescoreSource } from '../src/core/rescore/rescore-source.ts'
import { timed } from './bench-timing.ts'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' } } })
const lines = Number(values.lines)
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-rescore-'))

try {
  const incident = join(dir, 'incident.log')
  const baseline = join(dir, 'baseline.log')
  await writeSampleLog(incident, { lines, seed: 2 })
  await writeSampleLog(baseline, { lines, seed: 1, fault: null })
  const casePath = join(dir, 'bench.faultline')
  const ingest = await runIngest({ casePath, sourcePath: incident })
  console.log(`case: ${ingest.lines.toLocaleString('en-US')} lines ingested unscored (setup, ${(ingest.elapsedMs / 1_000).toFixed(1)} s)`)
  const store = CaseStore.open(casePath)
  try {
    const self = await timed(`train from the case (${lines.toLocaleString('en-US')} lines)`, () => trainModelFromCase(store, 1, { mode: 'self' }))
    const seed = parseCheckpoint(store.minerState() as string).miner
    const fromFile = await timed(`train from a baseline file (${lines.toLocaleString('en-US')})`, () => trainModel([baseline], { seedMiner: seed }))
    await timed('  the same as the app does (worker, model file)', () =>
      trainInWorker({ paths: [baseline], out: join(dir, 'app.model.json'), options: {}, fromCase: { casePath, sourceId: 1, seedOnly: true } })
    )
    const a = await timed('re-score the case (self-trained model)', () => rescoreSource(store, 1, self))
    console.log(`  ${a.flagged.toLocaleString('en-US')} flagged, ${a.newlyFlagged.toLocaleString('en-US')} new, ${a.cleared.toLocaleString('en-US')} cleared`)
    const b = await timed('re-score the case (baseline model)', () => rescoreSource(store, 1, fromFile))
    console.log(`  ${b.flagged.toLocaleString('en-US')} flagged, ${b.newlyFlagged.toLocaleString('en-US')} new, ${b.cleared.toLocaleString('en-US')} cleared`)
    const modelPath = join(dir, 'baseline.model.json')
    await saveModel(fromFile, modelPath)
    const job = await timed('re-score in worker threads (baseline, 2 threads)', () => rescoreInWorker({ casePath, sourceId: 1, modelPath }))
    console.log(`  ${job.flagged.toLocaleString('en-US')} flagged; lead thread CPU ${((job.cpuMs ?? 0) / 1_000).toFixed(2)} s`)
    const one = await timed('re-score in a worker thread (baseline, 1 thread)', () => rescoreInWorker({ casePath, sourceId: 1, modelPath, threads: 1 }))
    console.log(`  ${one.flagged.toLocaleString('en-US')} flagged; thread CPU ${((one.cpuMs ?? 0) / 1_000).toFixed(2)} s`)
    const unseeded = await trainModel([baseline])
    const c = await timed('re-score (model mined elsewhere: matching)', () => rescoreSource(store, 1, unseeded))
    console.log(`  ${c.flagged.toLocaleString('en-US')} flagged (same templates: ${c.sameTemplates})`)
  } finally {
    store.close()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
