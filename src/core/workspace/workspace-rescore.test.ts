import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import { createLogger } from '../diagnostics/logger.ts'
import { trainModel } from '../model/train.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { systemClock } from '../service/deps.ts'
import { Workspace } from './workspace.ts'

const workspaces: Workspace[] = []
afterEach(() => {
  for (const w of workspaces.splice(0)) w.closeAll()
})

function write(dir: string, name: string, options: Parameters<typeof generateSample>[0], injected?: Set<number>): string {
  const lines: string[] = []
  for (const line of generateSample(options)) {
    lines.push(line.text)
    if (line.injected) injected?.add(lines.length)
  }
  writeFileSync(join(dir, name), lines.join('\n') + '\n')
  return join(dir, name)
}

/** A workspace, and a promise for the next summary matching `until`. */
function start(): { workspace: Workspace; next: (until: (s: CaseSummary) => boolean) => Promise<CaseSummary> } {
  const waiting: { until: (s: CaseSummary) => boolean; resolve: (s: CaseSummary) => void }[] = []
  const workspace = new Workspace({
    dataDir: mkdtempSync(join(tmpdir(), 'faultline-ws-rescore-')),
    sampleDir: tmpdir(),
    clock: systemClock,
    log: createLogger({ clock: systemClock }),
    onProgress: () => {},
    onChanged: (summary) => {
      for (const w of waiting.splice(0)) {
        if (w.until(summary)) w.resolve(summary)
        else waiting.push(w)
      }
    }
  })
  workspaces.push(workspace)
  return { workspace, next: (until) => new Promise((resolve) => waiting.push({ until, resolve })) }
}

describe('retraining and re-scoring an open case in place', () => {
  it('retrains on a baseline, then on a stretch marked normal, each time in the same file, saying what changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ws-rescore-logs-'))
    const injected = new Set<number>()
    const baseline = write(dir, 'baseline.log', { seed: 1, lines: 8_000, requestsPerSecond: 12, fault: null })
    const incident = write(dir, 'incident.log', { seed: 2, lines: 8_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } }, injected)
    const { workspace, next } = start()
    const opened = await workspace.openLog(incident, [])
    const selfScored = await next((s) => s.revision === 1 && !s.scoring)
    expect(selfScored).toMatchObject({ path: opened.path, model: { mode: 'self' } })
    // Busy while it scores: a second request is refused, not queued behind.
    const retrained = workspace.retrain(opened.caseId, { baseline: [baseline] })
    await expect(workspace.retrain(opened.caseId, { baseline: [baseline] })).rejects.toThrow(/still being ingested or scored/)
    const { summary, result } = await retrained
    expect(summary).toMatchObject({ path: opened.path, revision: 2, scoring: false, model: { mode: 'baseline', baseline: [baseline] } })
    expect(result.newlyFlagged).toBeGreaterThan(0)
    expect(result.newlyFlaggedLines.every((line) => line >= 1 && line <= 8_000)).toBe(true)
    const outage = workspace.templates(opened.caseId).find((t) => t.text.startsWith('Could not acquire DB connection'))
    expect(outage).toMatchObject({ isNew: true, baselineCount: 0 })
    expect(workspace.templates(opened.caseId)[0]).toMatchObject({ isNew: false })
    const first = workspace.nextAnomaly(opened.caseId, 1, 0, 'next')
    expect(injected.has(first as number)).toBe(true)

    // "Everything before the outage was normal."
    const firstInjected = Math.min(...injected)
    const normal = await workspace.retrain(opened.caseId, { normal: { lines: { from: 1, to: firstInjected - 1 } } })
    expect(normal.summary).toMatchObject({ path: opened.path, revision: 3 })
    expect(normal.result.flagged).toBeGreaterThan(0)
    expect(workspace.nextAnomaly(opened.caseId, 1, 0, 'next')).toBeGreaterThanOrEqual(firstInjected)

    // A model from elsewhere (its own template ids): lines are matched to its templates.
    const foreign = await trainModel([baseline])
    const again = await workspace.rescore(opened.caseId, foreign, 'baseline.model.json')
    expect(again.result.sameTemplates).toBe(false)
    expect(Math.abs(again.result.flagged - result.flagged) / result.flagged).toBeLessThan(0.05)
    expect(again.summary.revision).toBe(4)
  }, 90_000)

  it('"this is normal" on a line or a template clears it on re-score, and taking it back undoes it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ws-rescore-logs-'))
    const baseline = write(dir, 'baseline.log', { seed: 1, lines: 6_000, requestsPerSecond: 12, fault: null })
    const incident = write(dir, 'incident.log', { seed: 3, lines: 6_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } })
    const { workspace, next } = start()
    const opened = await workspace.openLog(incident, [baseline])
    const ingested = await next((s) => s.sources[0]?.state === 'complete')
    const flagged = ingested.anomalies
    const line = workspace.nextAnomaly(opened.caseId, 1, 0, 'next') as number
    const template = workspace.lines(opened.caseId, 1, line, 1).lines[0]?.template as number

    const marked = await workspace.markNormal(opened.caseId, { sourceId: 1, lineNo: line })
    expect(marked.result.clearedLines).toContain(line)
    expect(marked.result.newlyFlagged).toBe(0)
    expect(workspace.anomaly(opened.caseId, 1, line)).toBeNull()
    expect(workspace.normalMarks(opened.caseId)).toMatchObject([{ id: marked.markId, sourceId: 1, lineNo: line }])

    const undone = await workspace.unmarkNormal(opened.caseId, marked.markId)
    expect(undone.result.newlyFlaggedLines).toContain(line)
    expect(undone.summary.anomalies).toBe(flagged)
    expect(workspace.normalMarks(opened.caseId)).toEqual([])

    const ofTemplate = async (): Promise<boolean[]> => {
      const { filterId, count } = await workspace.filter(opened.caseId, 1, { templates: [template] })
      return workspace.filteredLines(opened.caseId, filterId, 0, count).lines.filter((l) => !l.continuation).map((l) => l.flagged)
    }
    const before = (await ofTemplate()).filter(Boolean).length
    expect(before).toBeGreaterThan(0)
    const byTemplate = await workspace.markNormal(opened.caseId, { templateId: template })
    expect(byTemplate.result.cleared).toBeGreaterThanOrEqual(before)
    expect((await ofTemplate()).some(Boolean)).toBe(false)
    expect(byTemplate.summary.anomalies).toBeLessThan(flagged)

    // Reopened, the case is scored with the same feedback: the marked template stays cleared.
    const path = byTemplate.summary.path
    workspace.close(opened.caseId)
    await new Promise((resolve) => setTimeout(resolve, 200))
    const reopened = await workspace.reopen(path)
    expect(reopened.anomalies).toBe(byTemplate.summary.anomalies)
    // The recorded model is the one before feedback: taking the mark back restores the first scores.
    const undoneLater = await workspace.unmarkNormal(reopened.caseId, byTemplate.markId)
    expect(undoneLater.result.cleared).toBe(0)
    expect(undoneLater.summary.anomalies).toBe(flagged)
  }, 90_000)
})
