/**
 * Case store benchmark: write N generated lines into a case, then time the viewer's queries.
 *   node scripts/bench-case.ts [--lines 1000000]
 * Prints write throughput, case size against the text, and each query's latency (median, p99).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CaseStore } from '../src/core/case/case-store.ts'
import { generateSample } from '../src/core/sample/sample-incident.ts'
import { normalizeLevel } from '../src/shared/levels.ts'
import { printTimings, timeQueries, viewerQueries } from './bench-queries.ts'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' } } })
const total = Number(values.lines)
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-case-'))
const path = join(dir, 'bench.faultline')

try {
  const store = CaseStore.create(path)
  const id = store.addSource({ path: 'generated.log', size: 0, startedAt: Date.now() })
  const writer = store.writer(id)
  const templateOf = new Map<string, number>()
  const anomalies: { lineNo: number; score: number; template: number; reasons: string[] }[] = []
  let textBytes = 0
  let offset = 0
  let generateMs = 0
  let appendMs = 0
  let lineNo = 0
  let t = performance.now()
  for (const { text, injected } of generateSample({ lines: total, fault: { startAt: 0.6, length: 0.1 } })) {
    const now = performance.now()
    generateMs += now - t
    lineNo++
    const bytes = Buffer.byteLength(text) + 1
    // Cheap stand-ins for the parser's output: enough to exercise every column.
    const level = normalizeLevel(text.slice(25, 30).trim())
    const service = text.slice(31, text.indexOf(']', 31))
    let template = templateOf.get(service)
    if (template === undefined) templateOf.set(service, (template = templateOf.size))
    const score = injected ? 0.9 : 0.05
    writer.append({ offset, text, ts: Date.parse(text.slice(0, 24)), template, session: -1, level, flags: 0, score }, offset + bytes)
    if (injected) anomalies.push({ lineNo, score, template, reasons: ['injected'] })
    offset += bytes
    textBytes += bytes
    t = performance.now()
    appendMs += t - now
  }
  const commitStart = performance.now()
  writer.commit(offset)
  store.putAnomalies(id, anomalies)
  appendMs += performance.now() - commitStart
  store.close()
  const caseBytes = statSync(path).size + (statSync(path + '-wal', { throwIfNoEntry: false })?.size ?? 0)
  console.log(`lines: ${total.toLocaleString()}  text: ${(textBytes / 1e6).toFixed(0)} MB  (generating took ${(generateMs / 1e3).toFixed(1)} s, not counted)`)
  console.log(`write: ${((total / appendMs) * 1e3).toFixed(0)} lines/s, ${(textBytes / 1e3 / appendMs).toFixed(0)} MB/s; case ${(caseBytes / 1e6).toFixed(0)} MB = ${(caseBytes / textBytes).toFixed(2)}× the text`)

  const reopenStart = performance.now()
  const reopened = CaseStore.open(path)
  const reopenMs = performance.now() - reopenStart
  const indexStart = performance.now()
  const index = reopened.index(id)
  const indexMs = performance.now() - indexStart
  console.log(`reopen: ${reopenMs.toFixed(1)} ms; load line index: ${indexMs.toFixed(0)} ms (${((index.length * 30) / 1e6).toFixed(0)} MB in memory)`)

  printTimings(timeQueries(viewerQueries(reopened, id, index)))
  reopened.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
