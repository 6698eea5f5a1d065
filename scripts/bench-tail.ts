/**
 * Live tail under load: a separate writer process appends stamped lines at a steady rate
 * (default 10,000 lines/s, a burst of 4 anomalous lines every 0.5 s, one rotation half-way) while
 *  - this process follows the file and scores every line (follower + live scorer, in-process),
 *  - `faultline tail --jsonl` follows it too, as a child process, printing alerts.
 * Reports lines lost / duplicated / out of order (must be 0), append→alert latency p50/p95/p99
 * for both, and CPU as a share of one core: this process from `process.cpuUsage()` (follower +
 * scorer + the bench's own bookkeeping), the CLI from /proc/<pid>/stat (Linux).
 * Then the app: Chromium through the web host follows a file the writer appends to, and the time
 * from append to the alert showing in the alert panel is measured (bench-tail-renderer.ts).
 *   node scripts/bench-tail.ts [--rate 10000] [--seconds 20] [--no-cli] [--no-renderer] [--follow-only | --case]
 * `--follow-only`: this process only follows (no scoring): the follower's own CPU.
 * `--case`: this process follows into a case (append-to-case.ts): the file starts with 1,000
 * lines ingested into a case with the model, then every appended line must end up in the case
 * exactly once; latency is append → alert committed (visible to a viewer of the case).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { saveModel } from '../src/core/model/model-file.ts'
import { trainModel } from '../src/core/model/train.ts'
import { generateSample } from '../src/core/sample/sample-incident.ts'
import { followFile } from '../src/core/tail/follow-file.ts'
import type { FollowedLine } from '../src/core/tail/follow-file.ts'
import { startTail } from '../src/core/tail/tail-log.ts'
import { followIntoCase } from '../src/core/tail/append-to-case.ts'
import { CaseStore } from '../src/core/case/case-store.ts'
import { runIngest } from '../src/core/ingest/run-ingest.ts'
import { prepareScoring } from '../src/core/ingest/scorer-spec.ts'
import { isBurst, now, readStamp, stamped } from './bench-tail-lines.ts'
import { measureRendererTail } from './bench-tail-renderer.ts'

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    'no-cli': { type: 'boolean', default: false },
    'follow-only': { type: 'boolean', default: false },
    case: { type: 'boolean', default: false },
    'no-renderer': { type: 'boolean', default: false }
  }
})
const rate = Number(values.rate)
const seconds = Number(values.seconds)
const followOnly = values['follow-only']
const intoCase = values.case && !followOnly
const withCli = !values['no-cli']
const root = new URL('..', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-tail-'))

function percentiles(samples: number[]): string {
  if (samples.length === 0) return 'no samples'
  const sorted = [...samples].sort((a, b) => a - b)
  const q = (p: number): string => (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] as number).toFixed(1)
  return `p50 ${q(0.5)} ms, p95 ${q(0.95)} ms, p99 ${q(0.99)} ms, max ${(sorted.at(-1) as number).toFixed(1)} ms (${samples.length} alerts)`
}

/** CPU time of another process so far (Linux), ms. */
function processCpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

async function waitFor(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return true
}

try {
  // The reference: the same kind of traffic, stamped the same way, without the bursts.
  const referencePath = join(dir, 'reference.log')
  const reference: string[] = []
  let i = 0
  const t0 = now() - 3_600_000
  for (const line of generateSample({ seed: 11, lines: 60_000, fault: null, requestsPerSecond: 40 })) reference.push(stamped(line.text, ++i, t0 + i))
  writeFileSync(referencePath, reference.join('\n') + '\n')
  const trainStart = performance.now()
  const model = await trainModel([referencePath])
  const modelPath = join(dir, 'model.json')
  await saveModel(model, modelPath)
  console.log(`reference: ${reference.length.toLocaleString('en-US')} lines, trained in ${((performance.now() - trainStart) / 1_000).toFixed(1)} s`)

  const log = join(dir, 'app.log')
  // Case mode: the file starts with lines the case already holds (unstamped: not counted).
  const initial = intoCase ? [...generateSample({ seed: 3, lines: 1_000, fault: null, requestsPerSecond: 40 })].map((l) => l.text) : []
  writeFileSync(log, initial.length > 0 ? initial.join('\n') + '\n' : '')

  // The CLI, as a user runs it.
  const cliLatency: number[] = []
  const cliSeqs = new Set<number>()
  let cliDuplicates = 0
  let cliFalse = 0
  let cliErr = ''
  const cli = withCli ? spawn(process.execPath, [join(root, 'bin/faultline.mjs'), 'tail', log, '--model', modelPath, '--jsonl'], { stdio: ['ignore', 'pipe', 'pipe'] }) : null
  if (cli) {
    let pending = ''
    cli.stdout?.on('data', (chunk: Buffer) => {
      const at = now()
      pending += chunk.toString()
      const lines = pending.split('\n')
      pending = lines.pop() ?? ''
      for (const line of lines) {
        const alert = JSON.parse(line) as { text: string }
        const stamp = readStamp(alert.text)
        if (!stamp) continue
        if (cliSeqs.has(stamp.seq)) cliDuplicates++
        cliSeqs.add(stamp.seq)
        if (isBurst(alert.text)) cliLatency.push(at - stamp.writtenAt)
        else cliFalse++
      }
    })
    cli.stderr?.on('data', (chunk: Buffer) => (cliErr += chunk.toString()))
    if (!(await waitFor(() => cliErr.includes('following'), 30_000))) throw new Error(`faultline tail did not start: ${cliErr}`)
  }

  // This process: follower + live scorer (or the follower alone).
  const seen = new Uint8Array(Math.ceil(rate * seconds * 1.2) + 10_000)
  let lastSeq = 0
  let outOfOrder = 0
  let maxSeq = 0
  const latency: number[] = []
  let falseAlerts = 0
  const falseReasons = new Map<string, number>()
  const countLine = (text: string): void => {
    const stamp = readStamp(text)
    if (!stamp) return
    if (stamp.seq < seen.length) seen[stamp.seq] = Math.min(255, (seen[stamp.seq] as number) + 1)
    if (stamp.seq <= lastSeq) outOfOrder++
    lastSeq = stamp.seq
    if (stamp.seq > maxSeq) maxSeq = stamp.seq
  }
  const changes: string[] = []
  const onChange = (c: { kind: string }): void => void changes.push(c.kind)
  let consume: Promise<void>
  let stop: () => void
  /** Case mode: lines committed to the case so far. */
  let committed = 0
  let caughtUpWith = (written: number): boolean => maxSeq >= written
  let readCase: () => void = () => {}
  if (intoCase) {
    const casePath = join(dir, 'bench.faultline')
    await runIngest({ casePath, sourcePath: log }, await prepareScoring({ kind: 'model', path: modelPath }, casePath))
    const controller = new AbortController()
    /** Write times of burst alerts found but not committed yet. */
    const uncommitted: number[] = []
    const following = followIntoCase(casePath, 1, {
      signal: controller.signal,
      onChange,
      onAlerts: (alerts) => {
        for (const a of alerts) {
          const stamp = readStamp(a.text)
          if (stamp && isBurst(a.text)) uncommitted.push(stamp.writtenAt)
          else falseAlerts++
        }
      },
      onCommit: (lines) => {
        committed = lines
        const at = now()
        for (const writtenAt of uncommitted.splice(0)) latency.push(at - writtenAt)
      }
    })
    stop = () => controller.abort()
    consume = following.then(() => {})
    caughtUpWith = (written) => committed >= initial.length + written
    readCase = () => {
      const store = CaseStore.open(casePath)
      try {
        for (let from = initial.length + 1; from <= committed; from += 10_000) for (const l of store.lines(1, from, 10_000)) countLine(l.text)
      } finally {
        store.close()
      }
    }
  } else if (followOnly) {
    const follower = followFile(log, { onChange })
    await follower.start()
    stop = () => follower.close()
    consume = (async () => {
      for await (const batch of follower.batches()) for (const l of batch as FollowedLine[]) countLine(l.text)
    })()
  } else {
    const tail = await startTail(log, { model, onChange })
    stop = () => tail.close()
    consume = (async () => {
      for await (const batch of tail.batches) {
        for (const l of batch.lines) countLine(l.line.text)
        for (const a of batch.alerts) {
          const stamp = readStamp(a.text)
          if (stamp && isBurst(a.text)) latency.push(batch.scoredAt - stamp.writtenAt)
          else {
            falseAlerts++
            const reason = (a.reasons[0] ?? '').replace(/\d[\d.,]*/g, '#')
            falseReasons.set(reason, (falseReasons.get(reason) ?? 0) + 1)
          }
        }
      }
    })()
  }

  const cpuStart = process.cpuUsage()
  const wallStart = performance.now()
  const cliCpuStart = cli?.pid === undefined ? null : processCpuMs(cli.pid)
  const writer = spawn(process.execPath, [join(root, 'scripts/bench-tail-writer.ts'), log, String(rate), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] })
  let writerOut = ''
  writer.stdout.on('data', (d: Buffer) => (writerOut += d.toString()))
  await new Promise<void>((resolve, reject) => writer.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`)))))
  const written = JSON.parse(writerOut) as { written: number; bursts: number; seconds: number }
  const caughtUp = await waitFor(() => caughtUpWith(written.written), 15_000)
  const wallMs = performance.now() - wallStart
  const cpu = process.cpuUsage(cpuStart)
  if (cli) await waitFor(() => cliSeqs.size >= written.bursts, 5_000)
  const cliCpuEnd = cli?.pid === undefined ? null : processCpuMs(cli.pid)
  stop()
  await consume
  readCase()
  if (cli) {
    cli.kill('SIGINT')
    await new Promise((resolve) => cli.on('exit', resolve))
  }

  let lost = 0
  let duplicated = 0
  for (let s = 1; s <= written.written; s++) {
    const n = seen[s] as number
    if (n === 0) lost++
    else if (n > 1) duplicated += n - 1
  }
  const share = (ms: number): string => `${((ms / wallMs) * 100).toFixed(1)}% of one core`
  console.log(`writer: ${written.written.toLocaleString('en-US')} lines in ${written.seconds.toFixed(1)} s (${Math.round(written.written / written.seconds).toLocaleString('en-US')} lines/s), ${written.bursts} anomalous, one rotation`)
  console.log(`follower changes seen: ${changes.join(', ') || 'none'}${caughtUp ? '' : ' (did not catch up within 15 s)'}`)
  console.log(`lines lost: ${lost}, duplicated: ${duplicated}, out of order: ${outOfOrder}`)
  const what = followOnly ? 'follower only' : intoCase ? 'follower + scorer + appending to a case' : 'follower + live scorer'
  console.log(`this process (${what}): CPU ${share((cpu.user + cpu.system) / 1_000)} over ${(wallMs / 1_000).toFixed(1)} s`)
  if (!followOnly) {
    console.log(`  append→alert (in-process, ${intoCase ? 'committed to the case' : 'scored'}): ${percentiles(latency)}; alerts on normal lines: ${falseAlerts}`)
    const top = [...falseReasons].sort((a, b) => b[1] - a[1]).slice(0, 3)
    for (const [reason, count] of top) console.log(`    ${count}× ${reason}`)
  }
  if (cli) {
    const cliCpu = cliCpuStart === null || cliCpuEnd === null ? 'n/a' : share(cliCpuEnd - cliCpuStart)
    console.log(`faultline tail --jsonl (child): CPU ${cliCpu}`)
    console.log(`  append→alert (received on its stdout): ${percentiles(cliLatency)}; burst alerts ${cliLatency.length}/${written.bursts}, duplicated ${cliDuplicates}, alerts on normal lines ${cliFalse}`)
  }
  if (lost > 0 || duplicated > 0 || outOfOrder > 0) process.exitCode = 1

  if (!values['no-renderer'] && !followOnly && !intoCase) {
    // A fresh file for the app, opened with the reference as its baseline, then followed.
    const appLog = join(dir, 'app-ui.log')
    writeFileSync(appLog, [...generateSample({ seed: 5, lines: 1_000, fault: null, requestsPerSecond: 40 })].map((l) => l.text).join('\n') + '\n')
    const ui = await measureRendererTail({ dir, root, log: appLog, reference: referencePath, rate, seconds })
    console.log(`the app in Chromium via the web host (follow into the case, alert panel):`)
    console.log(`  writer: ${ui.written.toLocaleString('en-US')} lines, ${ui.bursts} anomalous; case holds ${ui.caseLines.toLocaleString('en-US')} lines; lost ${ui.lost}, duplicated ${ui.duplicated}`)
    console.log(`  append→alert visible in the panel: ${percentiles(ui.latencies)}; alerts seen ${ui.latencies.length}/${ui.bursts}`)
    if (ui.lost > 0 || ui.duplicated > 0) process.exitCode = 1
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
