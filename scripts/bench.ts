/**
 * End-to-end ingest benchmark: `npm run bench` (or `node scripts/bench.ts --lines N`).
 * Generates the sample incident (several services, an injected payments outage) into a temp
 * file, ingests it through the real worker pipeline into a temp case (in a fresh child process,
 * so peak RSS is the pipeline's own) twice: on threads it starts with the ingest (the worst case:
 * the app and the CLI both start theirs earlier), then on threads started a second ahead (as the
 * app keeps them, see threads-ahead.ts), whose case is kept; then times each stage alone (read; + detect and split;
 * + mine), the viewer's queries on the case, and the case's size against the source.
 * Scoring uses a model trained on a fault-free baseline of the same generator (`--baseline N`
 * lines, default 200,000; training not counted); `--scorer neutral` skips scoring.
 * `--keep` leaves the temp folder for inspection.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, fsyncSync, mkdtempSync, openSync, rmSync, statSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { CaseStore } from '../src/core/case/case-store.ts'
import { IngestThreads, startIngest } from '../src/core/ingest/index.ts'
import type { IngestSummary } from '../src/core/ingest/index.ts'
import { writeSampleLog } from '../src/core/ingest/testing/sample-log.ts'
import { TemplateMiner } from '../src/core/mine/index.ts'
import { saveModel } from '../src/core/model/model-file.ts'
import { trainModel } from '../src/core/model/train.ts'
import { minePacked, openPackedSource } from '../src/core/ingest/packed-records.ts'
import { readLineColumns } from '../src/core/read/index.ts'
import { nativeAddon } from '../src/core/platform/native-addon.ts'
import { processThreadsCpuMs } from '../src/core/ingest/thread-cpu.ts'
import { printTimings, searchResponsiveness, timeQueries, viewerQueries } from './bench-queries.ts'
import { referenceWorkMs } from './bench-timing.ts'
import { freshBuiltWorkers, pickIngestWorkers } from '../src/cli/built-workers.ts'

interface ChildResult {
  summary: IngestSummary
  wallMs: number
  /** From the start of the ingest until a reader got the first 200 lines. */
  firstWindowMs: number | null
  /** The workers ran from the build's bundle (else from the TypeScript entries). */
  bundled: boolean
  /**
   * CPU time during the ingest of the threads that outlive it: the main thread and V8's helpers
   * (garbage collection, optimising compilers), which share the cores with the workers.
   */
  otherCpuMs: number | null
}

const { values } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    scorer: { type: 'string', default: 'model' },
    baseline: { type: 'string', default: '200000' },
    child: { type: 'string' },
    case: { type: 'string' },
    model: { type: 'string' },
    ahead: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false }
  }
})

if (values.help) {
  console.log(`usage: npm run bench -- [--lines N] [--scorer model|neutral] [--baseline N] [--keep]
  --lines N          lines of the generated sample (default 1,000,000)
  --scorer model     score with a model trained on a fault-free baseline (default)
  --scorer neutral   no model: mine and store only
  --baseline N       lines of that baseline (default 200,000; training not counted)
  --keep             keep the temp folder (source, model, case)`)
  process.exit(0)
}

if (values.child !== undefined) await runChild(values.child, values.case as string, values.model, values.ahead)
else await runBench(Number(values.lines), values.keep, values.scorer === 'model' ? Number(values.baseline) : 0)

/**
 * Child mode: one ingest through the worker, watched by a reader as the viewer would. `ahead`:
 * on threads started a second before it is asked for, as the app keeps them (threads-ahead.ts);
 * else on threads started with it: the worst case (an app starts its first set as it starts,
 * threads-ahead.ts; the CLI as it loads, early-threads.ts).
 */
async function runChild(source: string, casePath: string, model: string | undefined, ahead: boolean): Promise<void> {
  // As the app and the CLI do: the build's workers when it is fresh, else the TypeScript entries.
  const workers = await freshBuiltWorkers()
  // "Other" threads are those there before the ingest's own: not those started ahead.
  const others = new Set(processThreadsCpuMs()?.keys())
  const threads = ahead ? new IngestThreads(pickIngestWorkers(workers)) : undefined
  if (threads) await new Promise((resolve) => setTimeout(resolve, 1_000))
  const now = processThreadsCpuMs()
  const cpuBefore = now && new Map([...now].filter(([tid]) => others.has(tid)))
  const start = performance.now()
  const job = startIngest({ casePath, sourcePath: source, scorer: model === undefined ? undefined : { kind: 'model', path: model } }, { ...pickIngestWorkers(workers), threads })
  const sourceId = await job.started
  let firstWindowMs: number | null = null
  let finished = false
  void job.done.then(() => (finished = true), () => (finished = true))
  while (!finished && firstWindowMs === null) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    const reader = CaseStore.open(casePath)
    if (reader.lines(sourceId, 1, 200).length === 200) firstWindowMs = performance.now() - start
    reader.close()
  }
  const summary = await job.done
  const wallMs = performance.now() - start
  const result: ChildResult = { summary, wallMs, firstWindowMs, bundled: workers !== undefined, otherCpuMs: cpuSince(cpuBefore) }
  console.log(JSON.stringify(result))
}

/** CPU time since `before` of the threads that were there then and still are (null off Linux). */
function cpuSince(before: Map<string, number> | null): number | null {
  const after = processThreadsCpuMs()
  if (before === null || after === null) return null
  let ms = 0
  for (const [tid, then] of before) ms += (after.get(tid) ?? then) - then
  return ms
}

/**
 * Writes a generated file out before anything is timed: a dump being investigated was written
 * long before, and the kernel writing back 1.3 GB of fresh pages during the ingest made its first
 * commit wait (first window at 10M lines: 1.28 s with the source just written, 0.54–0.66 s without).
 */
function flushToDisk(path: string): void {
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

async function runBench(lines: number, keep: boolean, baselineLines: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'))
  const source = join(dir, 'sample.log')
  const casePath = join(dir, 'sample.faultline')
  try {
    console.log(`machine: reference work ${referenceWorkMs().toFixed(1)} ms (a fixed scan of 4 MB of log text; lower is faster, compare figures across machines by it)`)
    console.log(
      `native mask keys: ${nativeAddon() === null ? 'off (FAULTLINE_NATIVE=0, or native/ not built: the miner masks in JavaScript)' : 'on (native/, built by npm install; FAULTLINE_NATIVE=0 to compare)'}`
    )
    const genStart = performance.now()
    const { bytes } = await writeSampleLog(source, { lines })
    flushToDisk(source)
    const mb = bytes / 1e6
    console.log(`source: ${lines.toLocaleString('en-US')} lines, ${mb.toFixed(0)} MB (generated in ${((performance.now() - genStart) / 1e3).toFixed(1)} s, not counted)`)

    const modelArgs: string[] = []
    if (baselineLines > 0) {
      const trainStart = performance.now()
      const baseline = join(dir, 'baseline.log')
      await writeSampleLog(baseline, { lines: baselineLines, seed: 11, fault: null })
      flushToDisk(baseline)
      const modelPath = join(dir, 'baseline.model.json')
      await saveModel(await trainModel([baseline]), modelPath)
      modelArgs.push('--model', modelPath)
      console.log(`model: trained on a ${baselineLines.toLocaleString('en-US')}-line fault-free baseline in ${((performance.now() - trainStart) / 1e3).toFixed(1)} s (not counted)`)
    } else console.log('model: none (neutral scorer)')

    const ingest = (into: string, ...flags: string[]): ChildResult => {
      const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', source, '--case', into, ...modelArgs, ...flags], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24
      })
      if (child.status !== 0) throw new Error(`ingest child failed (status ${child.status})`)
      return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as ChildResult
    }
    // The worst case: the threads start with the ingest (the app and the CLI start theirs earlier).
    const coldCase = join(dir, 'cold.faultline')
    const cold = ingest(coldCase)
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${coldCase}${suffix}`, { force: true })
    // As the app runs the next one: on threads it started ahead. Its case is the one queried below.
    const { summary, wallMs, firstWindowMs, bundled, otherCpuMs } = ingest(casePath, '--ahead')
    const rate = (n: number, ms: number): string => `${Math.round((n / ms) * 1e3).toLocaleString('en-US').padStart(10)} lines/s ${((bytes / 1e3 / ms) || 0).toFixed(0).padStart(5)} MB/s`

    console.log('\nstages, each timed alone on the main thread (cumulative):')
    const stages = await timeStages(source)
    console.log(`  read + split lines                        ${rate(lines, stages.readMs)}  ${stages.readMs.toFixed(0).padStart(6)} ms`)
    console.log(`  + group records, detect, split, pack      ${rate(lines, stages.parseMs)}  ${stages.parseMs.toFixed(0).padStart(6)} ms`)
    console.log(`  + mine templates                          ${rate(lines, stages.mineMs)}  ${stages.mineMs.toFixed(0).padStart(6)} ms`)

    console.log(`\nend to end, through the worker threads (${bundled ? "the build's bundled workers, as the app runs them" : 'the TypeScript entries: no build newer than the sources; `npm run build` first to time the bundle'}):`)
    console.log(`  ingest, from the request, on threads the app started ahead   ${rate(lines, wallMs)}  ${wallMs.toFixed(0).padStart(6)} ms   (first window after ${firstWindowMs === null ? 'n/a' : `${firstWindowMs.toFixed(0)} ms`})`)
    console.log(`  ingest, starting its threads with it (nothing started ahead) ${rate(lines, cold.wallMs)}  ${cold.wallMs.toFixed(0).padStart(6)} ms   (first window after ${cold.firstWindowMs === null ? 'n/a' : `${cold.firstWindowMs.toFixed(0)} ms`})`)
    console.log(`  ingest, once the pipeline thread runs it (model loaded)      ${rate(lines, summary.elapsedMs)}  ${summary.elapsedMs.toFixed(0).padStart(6)} ms`)
    console.log('  (the figures below are those of the run on threads started ahead)')
    const cpu = (ms: number | null): string => (ms === null ? 'n/a' : `${ms.toFixed(0)} ms`)
    console.log('  CPU time per thread (where the time goes; the busiest thread, and all of them on the cores there are, bound the rate):')
    console.log(`    reader   (read, hash, group records, detect, split headers, pack)  ${cpu(summary.readerCpuMs)}`)
    console.log(`    pipeline (mine, score, build and encode blocks)                    ${cpu(summary.pipelineCpuMs)}  incl. miner checkpoints ${summary.checkpointMs.toFixed(0)} ms`)
    console.log(`    commit   (SQLite transactions)                                     ${cpu(summary.commitCpuMs)}`)
    console.log(`    other    (main thread; V8's garbage collector and compiler helpers)  ${cpu(otherCpuMs)}`)
    const threads = [summary.readerCpuMs, summary.pipelineCpuMs, summary.commitCpuMs, otherCpuMs]
    if (threads.every((ms) => ms !== null)) {
      const totalMs = threads.reduce((a: number, b) => a + (b as number), 0)
      const cores = availableParallelism()
      console.log(`    all threads: ${totalMs.toFixed(0)} ms; on ${cores} cores at best ${Math.round((lines / totalMs) * cores * 1e3).toLocaleString('en-US')} lines/s`)
    }
    console.log(`  sessions judged and stored once every line is in (from what the pipeline kept of them): ${summary.sessionMs.toFixed(0)} ms (of the wall time above)`)
    console.log(`  first window of 200 lines visible after ${firstWindowMs === null ? 'n/a' : `${firstWindowMs.toFixed(0)} ms`}`)
    console.log(`  peak RSS (ingest process: main thread + workers, read in the worker): ${(summary.maxRssBytes / 2 ** 20).toFixed(0)} MiB`)
    console.log(`  format: ${summary.format}; templates: ${summary.templates}; flagged: ${summary.scored ? summary.flagged.toLocaleString('en-US') : 'not scored'}`)
    for (const r of summary.topReasons.slice(0, 3)) console.log(`    ${String(r.count).padStart(8)}  ${r.reason}`)

    const caseBytes = statSync(casePath).size + (statSync(`${casePath}-wal`, { throwIfNoEntry: false })?.size ?? 0)
    console.log(`\ncase: ${(caseBytes / 1e6).toFixed(0)} MB = ${(caseBytes / bytes).toFixed(2)}× the source`)

    const openStart = performance.now()
    const store = CaseStore.open(casePath)
    const openMs = performance.now() - openStart
    const indexStart = performance.now()
    const index = store.index(summary.sourceId)
    console.log(`reopen ${openMs.toFixed(1)} ms; line index load ${(performance.now() - indexStart).toFixed(0)} ms (${index.length.toLocaleString('en-US')} lines)`)
    console.log('\nviewer queries:')
    printTimings(timeQueries(viewerQueries(store, summary.sourceId, index)))
    await searchResponsiveness(store, summary.sourceId, index.length)
    store.close()
  } finally {
    if (keep) console.log(`\nkept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

async function timeStages(path: string): Promise<{ readMs: number; parseMs: number; mineMs: number }> {
  // The reader's own path: lines as columns, records grouped, heads split and packed.
  let start = performance.now()
  for await (const batch of readLineColumns(path)) void batch
  const readMs = performance.now() - start

  start = performance.now()
  let source = await openPackedSource(path, {})
  for await (const batch of source.batches) void batch
  const parseMs = performance.now() - start

  start = performance.now()
  source = await openPackedSource(path, {})
  const miner = new TemplateMiner()
  // As the ingest mines: with the reader's mask keys where the native masker made them.
  for await (const batch of source.batches) for (let r = 0; r < batch.recordLines.length; r++) minePacked(miner, batch, r)
  miner.compact()
  const mineMs = performance.now() - start
  return { readMs, parseMs, mineMs }
}
