/**
 * A case of several sources, viewed interleaved by time: `npm run bench:sources -- [--lines N] [--sources K]`.
 * Generates K logs of N lines each (the sample incident's services, each its own seed: their
 * stamps interleave line by line), ingests them into one case, then through the engine's API
 * (as the viewer asks) times the first window of the interleaving (which builds it) and windows
 * of 200 lines from random positions (median, p99).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { createClient } from '../src/shared/api/client.ts'
import { createLocalBridge } from '../src/core/api/local-bridge.ts'
import { startIngest } from '../src/core/ingest/index.ts'
import { writeSampleLog } from '../src/core/ingest/testing/sample-log.ts'
import { createCoreService } from '../src/core/service/create-core-service.ts'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' }, sources: { type: 'string', default: '2' } } })
const lines = Number(values.lines)
const sourceCount = Number(values.sources)
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-sources-'))
try {
  const casePath = join(dir, 'sources.faultline')
  for (let s = 0; s < sourceCount; s++) {
    const log = join(dir, `host-${s + 1}.log`)
    await writeSampleLog(log, { lines, seed: 100 + s })
    const started = performance.now()
    await startIngest({ casePath, sourcePath: log }).done
    console.log(`source ${s + 1}: ${lines.toLocaleString('en-US')} lines ingested in ${((performance.now() - started) / 1e3).toFixed(1)} s`)
  }
  const core = createCoreService({ dataDir: join(dir, 'data'), resourcesDir: new URL('../resources', import.meta.url).pathname })
  const api = createClient(createLocalBridge(core.router, core.events))
  const { caseId } = await api.request('case.reopen', { path: casePath })
  let started = performance.now()
  const first = await api.request('case.interleavedLines', { caseId, from: 1, count: 200 })
  const firstMs = performance.now() - started
  const times: number[] = []
  for (let k = 0; k < 25; k++) {
    const from = 1 + Math.floor(Math.random() * (first.total - 200))
    started = performance.now()
    const window = await api.request('case.interleavedLines', { caseId, from, count: 200 })
    times.push(performance.now() - started)
    if (window.lines.length !== 200) throw new Error(`a window of ${window.lines.length} lines at ${from}`)
  }
  times.sort((a, b) => a - b)
  const switches = (list: { sourceId: number }[]): number => list.filter((line, i) => i > 0 && line.sourceId !== list[i - 1]?.sourceId).length
  console.log(
    `${first.total.toLocaleString('en-US')} lines of ${sourceCount} sources interleaved by time: first window (builds the interleaving) ${firstMs.toFixed(0)} ms; ` +
      `a window of 200 lines (~${switches(first.lines)} changes of source in it): median ${(times[12] as number).toFixed(2)} ms, p99 ${(times[24] as number).toFixed(2)} ms`
  )
  core.close()
} finally {
  rmSync(dir, { recursive: true, force: true })
}
