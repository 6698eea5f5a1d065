import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import type { LiveAlertView } from '../../shared/api/live-contract.ts'
import { createLogger } from '../diagnostics/logger.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { systemClock } from '../service/deps.ts'
import { Workspace } from './workspace.ts'

const workspaces: Workspace[] = []
afterEach(() => {
  for (const w of workspaces.splice(0)) w.closeAll()
})

async function until(condition: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('following an open case file', () => {
  it('appends what the file gains, announces flagged lines, and refuses a re-score meanwhile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-follow-'))
    const lines = (seed: number, n: number): string => [...generateSample({ seed, lines: n, fault: null })].map((l) => l.text).join('\n') + '\n'
    const baseline = join(dir, 'baseline.log')
    const log = join(dir, 'app.log')
    writeFileSync(baseline, lines(1, 6_000))
    writeFileSync(log, lines(2, 1_000))
    const summaries: CaseSummary[] = []
    const alerts: LiveAlertView[] = []
    const workspace = new Workspace({
      dataDir: join(dir, 'data'),
      sampleDir: tmpdir(),
      clock: systemClock,
      log: createLogger({ clock: systemClock }),
      onProgress: () => {},
      onChanged: (summary) => void summaries.push(summary),
      onAlerts: (_caseId, _sourceId, found) => void alerts.push(...found)
    })
    workspaces.push(workspace)
    const opened = await workspace.openLog(log, [baseline])
    await until(() => summaries.some((s) => s.sources[0]?.state === 'complete'))

    expect(workspace.follow(opened.caseId, true)).toBe(true)
    expect(workspace.summary(opened.caseId).following).toBe(true)
    await expect(workspace.retrain(opened.caseId, { baseline: [baseline] })).rejects.toThrow(/stop following first/)

    appendFileSync(log, lines(3, 300))
    appendFileSync(log, '2026-11-24T14:10:00.000Z FATAL [ledger] c.s.ledger.Journal: Checksum mismatch on shard 7, refusing writes\n')
    await until(() => alerts.some((a) => a.text.includes('Checksum mismatch')))
    const alert = alerts.find((a) => a.text.includes('Checksum mismatch')) as LiveAlertView
    expect(alert.reasons.join(' ')).toMatch(/never seen/)
    await until(() => (workspace.summary(opened.caseId).sources[0]?.lines ?? 0) >= alert.lineNo)
    // The line is in the case under the number the alert gave.
    expect(workspace.lines(opened.caseId, 1, alert.lineNo, 1).lines[0]?.text).toContain('Checksum mismatch')
    expect(workspace.anomaly(opened.caseId, 1, alert.lineNo)?.score).toBeGreaterThanOrEqual(0.5)

    expect(workspace.follow(opened.caseId, false)).toBe(false)
    await until(() => !workspace.summary(opened.caseId).following)
  }, 60_000)
})
