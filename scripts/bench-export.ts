/**
 * Export benchmark: builds a case of N lines (default 1,000,000) with one line in 100 flagged
 * and a few bookmarks, written straight into the case (no ingest), then exports it as CSV,
 * JSON Lines and Markdown, plain and redacted, to /dev/null-like sinks. Prints CPU time (this
 * process's user + system: the machine is shared, so wall time says little) and peak RSS.
 *
 *   node scripts/bench-export.ts [lines] [flagEvery] [context] [formats, e.g. csv,jsonl]
 *
 * With BENCH_CASE=/path/x.faultline the case is built there and kept (for timing the CLI on it:
 * `/usr/bin/time -v node bin/faultline.mjs export /path/x.faultline --format csv --out /dev/null`).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { addBookmark } from '../src/core/case/marks.ts'
import { exportCase } from '../src/core/export/export-case.ts'
import type { ExportFormat } from '../src/core/export/export-case.ts'
import { buildCase } from '../src/core/export/testing/export-fixture.ts'
import type { FixtureLine } from '../src/core/export/testing/export-fixture.ts'

const lines = Number(process.argv[2] ?? 1_000_000)
const flagEvery = Number(process.argv[3] ?? 100)
const context = Number(process.argv[4] ?? 3)
const formats = (process.argv[5] ?? 'csv,jsonl,md').split(',') as ExportFormat[]
const keep = process.env.BENCH_CASE
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-export-'))

function* generate(): Generator<FixtureLine> {
  const t0 = Date.UTC(2024, 2, 1)
  for (let i = 0; i < lines; i++) {
    const bad = i % flagEvery === flagEvery - 1
    yield {
      text: bad
        ? `2024-03-01T10:00:00.000Z ERROR payment charge failed for user=u${i % 5_000} order ${100_000 + i} from 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255} token=sk_live_${(i * 7919).toString(36).padStart(20, 'x')}`
        : `2024-03-01T10:00:00.000Z INFO  api GET /v1/orders/${i} 200 in ${i % 300} ms host=web-${i % 12}.prod.example.com`,
      ts: t0 + i * 10,
      level: bad ? 6 : 3,
      template: bad ? 1 : 0,
      reasons: bad ? ['template seen 3 times in the baseline', 'level error is rare here'] : undefined,
      score: bad ? 0.9 : 0.1
    }
  }
}

const cpu = (): number => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1_000
}

let start = cpu()
const { store, sourceId } = buildCase(keep ?? join(dir, 'bench.faultline'), '/var/log/bench.log', generate(), ['<*> INFO api GET <*>', '<*> ERROR payment charge failed <*>'])
for (let n = 1_000; n < lines; n += Math.max(1, Math.floor(lines / 20))) addBookmark(store.db, sourceId, n, 0)
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`
console.log(
  `built a case of ${lines.toLocaleString('en-US')} lines, ${Math.floor(lines / flagEvery).toLocaleString('en-US')} flagged, in ${((cpu() - start) / 1_000).toFixed(1)} s CPU; ` +
    `RSS now ${mb(process.memoryUsage().rss)}, peak ${mb(process.resourceUsage().maxRSS * 1e3)}`
)

for (const redact of [false, true]) {
  for (const format of formats) {
    let bytes = 0
    let largest = 0
    start = cpu()
    const stats = await exportCase(store, sourceId, { format, context, redact }, (chunk) => {
      bytes += Buffer.byteLength(chunk)
      largest = Math.max(largest, chunk.length)
    })
    const ms = cpu() - start
    console.log(
      `${format.padEnd(5)} ${redact ? 'redacted' : 'plain   '}  ${stats.records.toLocaleString('en-US')} lines, ${(bytes / 1e6).toFixed(1)} MB in ${(ms / 1_000).toFixed(2)} s CPU ` +
        `(${Math.round((stats.records / ms) * 1_000).toLocaleString('en-US')} lines/s), largest chunk ${(largest / 1e3).toFixed(0)} k chars, ` +
        `heap used ${mb(process.memoryUsage().heapUsed)}, RSS now ${mb(process.memoryUsage().rss)}, peak ${mb(process.resourceUsage().maxRSS * 1e3)}`
    )
  }
}
store.close()
rmSync(dir, { recursive: true, force: true })
