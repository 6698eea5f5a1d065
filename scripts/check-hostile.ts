/**
 * `npm run check:hostile`: the two hostile inputs too big for the unit suite, each ingested by
 * the real pipeline (worker threads) in a fresh child process, so the peak RSS printed is the
 * ingest's own: a 100 MB single line and a 10 GB sparse file (2,000 log lines, then a hole).
 * Prints CPU time (user + system, all threads), wall time, peak RSS and how often progress came,
 * first for an ordinary 2,000-line file as the baseline.
 * `--small` runs 10 MB / 1 GB instead. The source hash is skipped (it would time SHA-256, not us).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startIngest } from '../src/core/ingest/start-ingest.ts'
import { plainLines, writeSingleLine, writeSparse } from '../src/core/testing/hostile-fixtures.ts'

interface ChildResult {
  state: string
  lines: number
  bytes: number
  cpuSeconds: number
  wallSeconds: number
  peakRssMb: number
  progressEvents: number
  longestProgressGapMs: number
}

async function child(casePath: string, sourcePath: string): Promise<void> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  let events = 0
  let last = started
  let gap = 0
  const summary = await startIngest(
    { casePath, sourcePath, hash: false },
    {
      onProgress: () => {
        const now = performance.now()
        gap = Math.max(gap, now - last)
        last = now
        events++
      }
    }
  ).done
  const used = process.cpuUsage(cpu)
  const result: ChildResult = {
    state: summary.state,
    lines: summary.lines,
    bytes: summary.bytes,
    cpuSeconds: (used.user + used.system) / 1e6,
    wallSeconds: (performance.now() - started) / 1e3,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
    progressEvents: events,
    longestProgressGapMs: Math.round(gap)
  }
  console.log(JSON.stringify(result))
}

function measure(label: string, sourcePath: string, dir: string): void {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', join(dir, `${label}.faultline`), sourcePath], { encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`${label}: the child failed\n${run.stderr}`)
  const r = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as ChildResult
  console.log(
    `${label.padEnd(18)} ${r.state.padEnd(9)} ${r.lines.toLocaleString('en-US').padStart(7)} lines ${(r.bytes / 1e6).toFixed(0).padStart(6)} MB  ` +
      `cpu ${r.cpuSeconds.toFixed(1).padStart(5)} s  wall ${r.wallSeconds.toFixed(1).padStart(5)} s  peak RSS ${r.peakRssMb.toFixed(0).padStart(4)} MB  ` +
      `progress ×${r.progressEvents}, longest gap ${r.longestProgressGapMs} ms`
  )
}

if (process.argv[2] === '--child') {
  const [casePath, sourcePath] = process.argv.slice(3)
  if (!casePath || !sourcePath) throw new Error('--child <case> <source>')
  await child(casePath, sourcePath)
} else {
  const small = process.argv.includes('--small')
  const dir = mkdtempSync(join(tmpdir(), 'faultline-hostile-check-'))
  try {
    // The same pipeline on an ordinary small file: the RSS the threads cost before any input.
    const ordinary = join(dir, 'ordinary.log')
    writeSparse(ordinary, 0, plainLines(2_000))
    measure('2,000 plain lines', ordinary, dir)
    const longLine = join(dir, 'long-line.log')
    writeSingleLine(longLine, small ? 10e6 : 100e6)
    measure(small ? '10 MB single line' : '100 MB single line', longLine, dir)
    rmSync(longLine)
    const sparse = join(dir, 'sparse.log')
    writeSparse(sparse, small ? 1e9 : 10e9, plainLines(2_000))
    measure(small ? '1 GB sparse' : '10 GB sparse', sparse, dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
