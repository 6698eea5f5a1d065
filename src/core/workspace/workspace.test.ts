import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import { createClient } from '../../shared/api/client.ts'
import type { FaultlineApi } from '../../shared/api/client.ts'
import { createLocalBridge } from '../api/local-bridge.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { createCoreService } from '../service/create-core-service.ts'
import { startIngest } from '../ingest/index.ts'
import type { CoreService } from '../service/create-core-service.ts'

const resourcesDir = new URL('../../../resources', import.meta.url).pathname
const services: CoreService[] = []
afterEach(() => {
  for (const service of services.splice(0)) service.close()
})

function start(dataDir = mkdtempSync(join(tmpdir(), 'faultline-ws-'))): { api: FaultlineApi; dataDir: string } {
  const core = createCoreService({ dataDir, resourcesDir, strict: true })
  services.push(core)
  return { api: createClient(createLocalBridge(core.router, core.events)), dataDir }
}

function writeLogs(dir: string): { baseline: string; incident: string; injected: Set<number> } {
  const injected = new Set<number>()
  const write = (name: string, options: Parameters<typeof generateSample>[0]): string => {
    const lines: string[] = []
    for (const line of generateSample(options)) {
      lines.push(line.text)
      if (line.injected) injected.add(lines.length)
    }
    writeFileSync(join(dir, name), lines.join('\n') + '\n')
    return join(dir, name)
  }
  return {
    baseline: write('baseline.log', { seed: 1, lines: 8_000, requestsPerSecond: 12, fault: null }),
    incident: write('incident.log', { seed: 2, lines: 8_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } }),
    injected
  }
}

/** Resolves once the case's first source has finished ingesting. */
function ingested(api: FaultlineApi, opened: CaseSummary): Promise<CaseSummary> {
  return new Promise((resolve) => {
    const check = (summary: CaseSummary): void => {
      if (summary.caseId === opened.caseId && summary.sources[0]?.state === 'complete') {
        off()
        resolve(summary)
      }
    }
    const off = api.on('case.changed', check)
    void api.request('case.summary', { caseId: opened.caseId }).then(check)
  })
}

describe('workspace through the API', () => {
  it('shows the lines of a case’s sources interleaved by time, each tagged with its source', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ws-sources-'))
    const stamp = (second: number): string => `2024-03-01T10:00:${String(second).padStart(2, '0')}.000Z`
    // web at even seconds (one entry with a stack frame under it), db at odd ones.
    const web = Array.from({ length: 20 }, (_, i) => `${stamp(2 * i)} INFO web: GET /orders/${i} 200` + (i === 3 ? '\n    at OrderController.list(OrderController.java:42)' : ''))
    const db = Array.from({ length: 20 }, (_, i) => `${stamp(2 * i + 1)} INFO db: query ${i} took ${i}ms`)
    writeFileSync(join(dir, 'web.log'), web.join('\n') + '\n')
    writeFileSync(join(dir, 'db.log'), db.join('\n') + '\n')
    const casePath = join(dir, 'two.faultline')
    await startIngest({ casePath, sourcePath: join(dir, 'web.log') }).done
    await startIngest({ casePath, sourcePath: join(dir, 'db.log') }).done
    const { api } = start()
    const opened = await api.request('case.reopen', { path: casePath })
    const [webId, dbId] = opened.sources.map((source) => source.id) as [number, number]
    const { lines, total } = await api.request('case.interleavedLines', { caseId: opened.caseId, from: 1, count: 100 })
    expect(total).toBe(41)
    const expected: [number, number][] = []
    for (let i = 0; i < 20; i++) {
      expected.push([webId, i + 1 + (i > 3 ? 1 : 0)])
      if (i === 3) expected.push([webId, 5])
      expected.push([dbId, i + 1])
    }
    expect(lines.map((line) => [line.sourceId, line.lineNo])).toEqual(expected)
    expect(lines[7]?.text).toContain('at OrderController.list')
    // A window further on.
    const window = await api.request('case.interleavedLines', { caseId: opened.caseId, from: 40, count: 10 })
    expect(window.lines.map((line) => [line.sourceId, line.lineNo])).toEqual(expected.slice(39))
  })

  it('opens a log against a baseline, and answers the viewer: lines, anomalies, filters, templates, timeline', async () => {
    const { api } = start()
    const logs = writeLogs(mkdtempSync(join(tmpdir(), 'faultline-ws-logs-')))
    const opened = await api.request('case.open', { path: logs.incident, baseline: [logs.baseline] })
    expect(opened.model).toMatchObject({ mode: 'baseline' })
    const done = await ingested(api, opened)
    const sourceId = done.sources[0]!.id
    expect(done.sources[0]).toMatchObject({ lines: 8_000, state: 'complete' })
    expect(done.anomalies).toBeGreaterThan(0)

    const { lines, total } = await api.request('case.lines', { caseId: opened.caseId, sourceId, from: 1, count: 50 })
    expect(total).toBe(8_000)
    expect(lines.map((l) => l.lineNo)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1))

    const first = (await api.request('case.nextAnomaly', { caseId: opened.caseId, sourceId, from: 0, direction: 'next' })).lineNo
    expect(first).not.toBeNull()
    expect(logs.injected.has(first!)).toBe(true)
    const detail = await api.request('case.anomaly', { caseId: opened.caseId, sourceId, lineNo: first! })
    expect(detail?.reasons.length).toBeGreaterThan(0)

    const { templates } = await api.request('case.templates', { caseId: opened.caseId })
    const outage = templates.find((t) => t.text.startsWith('Could not acquire DB connection'))
    expect(outage).toMatchObject({ isNew: true, baselineCount: 0 })
    const filter = await api.request('case.filter', { caseId: opened.caseId, sourceId, filter: { templates: [outage!.id] } })
    // A template filter keeps whole records: each failure comes with its stack trace.
    expect(filter.count).toBeGreaterThan(outage!.count)
    const page = await api.request('case.filteredLines', { caseId: opened.caseId, filterId: filter.filterId, from: 0, count: 10 })
    expect(page.lines.filter((l) => !l.continuation).every((l) => l.text.includes('Could not acquire DB connection'))).toBe(true)
    expect(page.lines.some((l) => l.continuation && l.text.includes('HikariPool'))).toBe(true)
    const at = await api.request('case.filterIndexOf', { caseId: opened.caseId, filterId: filter.filterId, lineNo: page.lines[3]!.lineNo })
    expect(at.index).toBe(3)

    // Text search: answered by scanning now, by the text index once it is built; same result.
    const text = await api.request('case.filter', { caseId: opened.caseId, sourceId, filter: { text: 'connection is NOT available' } })
    expect(text.count).toBeGreaterThan(outage!.count)

    // Sessions (traces here), most anomalous first, each with its reasons; filtering by one
    // shows its lines.
    const { summary: sessions, sessions: worst } = await api.request('case.sessions', { caseId: opened.caseId, sourceId, limit: 5 })
    expect(sessions).toMatchObject({ kind: 'session' })
    expect(sessions.flagged).toBeGreaterThan(0)
    expect(worst[0]).toMatchObject({ anomaly: true })
    expect(worst[0]!.reasons.length).toBeGreaterThan(0)
    const oneSession = await api.request('case.filter', { caseId: opened.caseId, sourceId, filter: { sessions: [worst[0]!.id] } })
    expect(oneSession.count).toBeGreaterThanOrEqual(worst[0]!.lines)

    const timeline = await api.request('case.timeline', { caseId: opened.caseId, sourceId, buckets: 20 })
    expect(timeline?.lines.reduce((a, b) => a + b, 0)).toBeGreaterThan(6_000)
    expect(timeline?.anomalies.some((n) => n > 0)).toBe(true)
    const bad = await api.request('case.filter', { caseId: opened.caseId, sourceId, filter: { text: '(', regex: true } }).catch((e: unknown) => e)
    expect(String(bad)).toMatch(/Invalid regular expression/)
  }, 60_000)

  it('opened without a baseline, shows the lines at once, then scores them against the file itself', async () => {
    const { api } = start()
    const logs = writeLogs(mkdtempSync(join(tmpdir(), 'faultline-ws-logs-')))
    const opened = await api.request('case.open', { path: logs.incident })
    expect(opened).toMatchObject({ model: null, scoring: true, revision: 0 })
    const scored = await new Promise<CaseSummary>((resolve) => {
      const off = api.on('case.changed', (summary) => {
        if (summary.caseId === opened.caseId && summary.revision === 1 && !summary.scoring) {
          off()
          resolve(summary)
        }
      })
    })
    expect(scored.model).toMatchObject({ mode: 'self' })
    expect(scored.sources[0]).toMatchObject({ lines: 8_000, state: 'complete' })
    expect(scored.anomalies).toBeGreaterThan(0)
    const sourceId = scored.sources[0]!.id
    const first = (await api.request('case.nextAnomaly', { caseId: opened.caseId, sourceId, from: 0, direction: 'next' })).lineNo
    expect(logs.injected.has(first!)).toBe(true)
    const { cases } = await api.request('cases.recent')
    expect(cases.map((c) => c.path)).toEqual([scored.path])
    // Re-scored in place: the very file the lines were first shown from.
    expect(scored.path).toBe(opened.path)
    const { templates } = await api.request('case.templates', { caseId: opened.caseId })
    expect(templates.every((t) => t.count === 0 || (t.baselineCount ?? 0) > 0)).toBe(true)
  }, 60_000)

  it('stops the background scoring when the case is closed', async () => {
    const { api, dataDir } = start()
    const logs = writeLogs(mkdtempSync(join(tmpdir(), 'faultline-ws-logs-')))
    const opened = await api.request('case.open', { path: logs.incident })
    await api.request('case.close', { caseId: opened.caseId })
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    const left = readdirSync(join(dataDir, 'cases')).filter((name) => name.includes('.scored.') || name.endsWith('.model.json'))
    expect(left).toEqual([])
  }, 30_000)

  it('lists recent cases and reopens one instantly, as it was', async () => {
    const first = start()
    const logs = writeLogs(mkdtempSync(join(tmpdir(), 'faultline-ws-logs-')))
    const opened = await first.api.request('case.open', { path: logs.incident, baseline: [logs.baseline] })
    const done = await ingested(first.api, opened)
    services.pop()?.close()

    const again = start(first.dataDir)
    const { cases } = await again.api.request('cases.recent')
    expect(cases[0]).toMatchObject({ path: done.path, exists: true })
    const started = performance.now()
    const reopened = await again.api.request('case.reopen', { path: done.path })
    expect(performance.now() - started).toBeLessThan(2_000)
    expect(reopened).toMatchObject({ sources: done.sources, anomalies: done.anomalies, model: done.model })
  }, 60_000)

  it('refuses what it cannot open with a clear error', async () => {
    const { api } = start()
    await expect(api.request('case.open', { path: '/no/such/file.log' })).rejects.toThrow(/No file at/)
    await expect(api.request('case.open', { path: tmpdir() })).rejects.toThrow(/is a folder/)
    const junk = join(mkdtempSync(join(tmpdir(), 'faultline-ws-')), 'junk.faultline')
    writeFileSync(junk, 'not a case')
    await expect(api.request('case.reopen', { path: junk })).rejects.toThrow(/Cannot open/)
    await expect(api.request('case.lines', { caseId: 'case-99', sourceId: 1, from: 1, count: 1 })).rejects.toThrow(/No open case/)
    // A baseline the trainer cannot use is reported, not a crash.
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ws-'))
    writeFileSync(join(dir, 'log.log'), 'one line\n')
    writeFileSync(join(dir, 'base.gz'), Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]))
    await expect(api.request('case.open', { path: join(dir, 'log.log'), baseline: [join(dir, 'base.gz')] })).rejects.toThrow(
      /Could not learn from the baseline/
    )
  })
})
