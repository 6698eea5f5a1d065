/**
 * Soak: the engine under steady mixed load for a while, watching memory.
 *   npm run soak [-- --minutes 10 --lines 10000000 --rate 5000]
 * Through the same API the app uses (createCoreService + the typed client), it
 *  - ingests a generated `--lines`-line incident (scored against a baseline),
 *  - follows a second log into its case while bench:tail's writer process appends to it at
 *    `--rate` lines/s (bursts of anomalous lines twice a second, one rotation half-way),
 *  - and queries windows of lines at random places in both cases, several times a second,
 * for `--minutes`. It prints the process's RSS (all threads) every 10 s, then whether it stayed
 * flat after warm-up (the ingest done and one more minute): within ±10% of its median. Errors
 * of any request are counted and end the soak with a failure. Not part of `npm test`.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '../src/shared/api/client.ts'
import type { CaseSummary } from '../src/shared/api/case-contract.ts'
import { createLocalBridge } from '../src/core/api/local-bridge.ts'
import { writeSampleLog } from '../src/core/ingest/testing/sample-log.ts'
import { createCoreService } from '../src/core/service/create-core-service.ts'
import { generateSample } from '../src/core/sample/sample-incident.ts'
import { stamped } from './bench-tail-lines.ts'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    lines: { type: 'string', default: '10000000' },
    rate: { type: 'string', default: '5000' }
  }
})
const minutes = Number(values.minutes)
const lines = Number(values.lines)
const rate = Number(values.rate)
const root = new URL('..', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'faultline-soak-'))
const mib = (bytes: number): string => `${Math.round(bytes / 2 ** 20).toLocaleString('en-US')} MiB`

const core = createCoreService({ dataDir: join(dir, 'data'), resourcesDir: join(root, 'resources') })
const api = createClient(createLocalBridge(core.router, core.events))
let errors = 0
const failed = (what: string) => (error: unknown): void => {
  errors++
  console.error(`error (${what}): ${error instanceof Error ? error.message : String(error)}`)
}

try {
  console.log(`soak: ${minutes} min; ingest ${lines.toLocaleString('en-US')} lines; follow at ${rate.toLocaleString('en-US')} lines/s; windows queried meanwhile`)
  const baseline = join(dir, 'baseline.log')
  const incident = join(dir, 'incident.log')
  const live = join(dir, 'live.log')
  // The followed log's reference: the writer's kind of lines, stamped the same way.
  const liveBaseline = join(dir, 'live-baseline.log')
  await writeSampleLog(baseline, { seed: 1, lines: 200_000, fault: null })
  writeFileSync(liveBaseline, [...generateSample({ seed: 11, lines: 60_000, fault: null, requestsPerSecond: 40 })].map((l, i) => stamped(l.text, i + 1, Date.now() - 3_600_000 + i)).join('\n') + '\n')
  const written = await writeSampleLog(incident, { seed: 2, lines })
  writeFileSync(live, [...generateSample({ seed: 3, lines: 5_000, fault: null, requestsPerSecond: 40 })].map((l, i) => stamped(l.text, 10_000_000 + i, Date.now())).join('\n') + '\n')
  console.log(`generated: incident ${mib(written.bytes)}`)

  const summaries = new Map<string, CaseSummary>()
  const progressLines = new Map<string, number>()
  core.events.subscribe((event, payload) => {
    if (event === 'case.changed') summaries.set((payload as CaseSummary).caseId, payload as CaseSummary)
    if (event === 'ingest.progress') progressLines.set((payload as { caseId: string }).caseId, (payload as { lines: number }).lines)
  })
  const started = performance.now()
  const elapsed = (): number => (performance.now() - started) / 1_000
  const big = await api.request('case.open', { path: incident, baseline: [baseline] })
  const tail = await api.request('case.open', { path: live, baseline: [liveBaseline] })
  const done = (id: string): boolean => (summaries.get(id)?.sources[0]?.state ?? 'ingesting') === 'complete'
  while (!done(tail.caseId)) await new Promise((r) => setTimeout(r, 100))
  await api.request('case.follow', { caseId: tail.caseId, on: true })
  let alerts = 0
  core.events.subscribe((event, payload) => {
    if (event === 'case.alerts') alerts += (payload as { alerts: unknown[] }).alerts.length
  })

  const writer = spawn(process.execPath, [join(root, 'scripts/bench-tail-writer.ts'), live, String(rate), String(minutes * 60)], { stdio: ['ignore', 'inherit', 'inherit'] })
  const writerDone = new Promise<void>((resolve) => writer.on('exit', () => resolve()))

  // Windows at random places, a few times a second, in both cases.
  let queries = 0
  const query = setInterval(() => {
    for (const summary of [summaries.get(big.caseId) ?? big, summaries.get(tail.caseId) ?? tail]) {
      const total = summary.sources[0]?.lines ?? 0
      if (total < 1) continue
      const from = 1 + Math.floor(Math.random() * total)
      queries++
      api.request('case.lines', { caseId: summary.caseId, sourceId: 1, from, count: 200 }).catch(failed('case.lines'))
    }
  }, 200)

  const samples: { at: number; rss: number; ingested: boolean }[] = []
  const ingest: { doneAt: number | null } = { doneAt: null }
  const sample = (): void => {
    const at = elapsed()
    const ingested = done(big.caseId)
    if (ingested && ingest.doneAt === null) ingest.doneAt = at
    const memory = process.memoryUsage()
    const rss = memory.rss
    samples.push({ at, rss, ingested })
    const bigLines = Math.max(summaries.get(big.caseId)?.sources[0]?.lines ?? 0, progressLines.get(big.caseId) ?? 0)
    const tailLines = summaries.get(tail.caseId)?.sources[0]?.lines ?? 0
    console.log(
      `${at.toFixed(0).padStart(5)} s  RSS ${mib(rss).padStart(9)} (JS heap ${mib(memory.heapUsed)}, external ${mib(memory.external)})  ingest ${ingested ? 'done' : `${bigLines.toLocaleString('en-US')} lines`}  tail case ${tailLines.toLocaleString('en-US')} lines  alerts ${alerts}  queries ${queries}  errors ${errors}`
    )
  }
  const sampler = setInterval(sample, 10_000)
  await writerDone
  clearInterval(sampler)
  clearInterval(query)
  sample()
  await api.request('case.follow', { caseId: tail.caseId, on: false })

  const ingestDoneAt = ingest.doneAt
  const warm = samples.filter((s) => ingestDoneAt !== null && s.at >= ingestDoneAt + 60)
  const sorted = warm.map((s) => s.rss).sort((a, b) => a - b)
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0
  const spread = sorted.length > 0 ? Math.max(...sorted.map((r) => Math.abs(r / median - 1))) : Number.NaN
  const flat = sorted.length >= 3 && spread <= 0.1
  console.log(
    `after warm-up (ingest done at ${ingestDoneAt === null ? 'never' : `${ingestDoneAt.toFixed(0)} s`}, +60 s): ${warm.length} samples, RSS median ${mib(median)}, ` +
      `min ${mib(sorted[0] ?? 0)}, max ${mib(sorted.at(-1) ?? 0)}, largest deviation ${(spread * 100).toFixed(1)}% → ${flat ? 'flat' : 'NOT flat'}`
  )
  console.log(`errors: ${errors}; alerts: ${alerts}; queries: ${queries}`)
  if (!flat || errors > 0) process.exitCode = 1
} finally {
  core.close()
  rmSync(dir, { recursive: true, force: true })
}
