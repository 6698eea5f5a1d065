import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../case/case-store.ts'
import { runIngest } from '../ingest/run-ingest.ts'
import { prepareScoring } from '../ingest/scorer-spec.ts'
import { saveModel } from '../model/model-file.ts'
import { trainModel } from '../model/train.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { followIntoCase } from './append-to-case.ts'
import type { LiveAlert } from './live-scorer.ts'
import { waitFor } from './testing/wait-for.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-append-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const normal = [...generateSample({ seed: 5, lines: 7_000, fault: null })].map((l) => l.text)
const novel = '2026-11-24T14:30:00.000Z FATAL [payments] c.s.payments.PaymentGateway: Ledger checksum mismatch on shard 7, refusing writes trace=0123456789abcdef'
const trace = ['java.lang.IllegalStateException: ledger corrupt', '\tat c.s.payments.Ledger.write(Ledger.java:88)']
/** What the file holds when the ingest runs, then what the follow adds (a line cut in two writes). */
const before = normal.slice(4_000, 5_500)
const after = [...normal.slice(5_500, 5_800), novel, ...trace, ...normal.slice(5_800, 6_200)]
const modelPath = join(dir, 'model.json')
let files = 0

beforeAll(async () => {
  const reference = join(dir, 'reference.log')
  writeFileSync(reference, normal.slice(0, 4_000).join('\n') + '\n')
  await saveModel(await trainModel([reference]), modelPath)
})

async function ingest(lines: readonly string[]): Promise<{ casePath: string; log: string }> {
  const n = ++files
  const log = join(dir, `app-${n}.log`)
  const casePath = join(dir, `case-${n}.faultline`)
  writeFileSync(log, lines.join('\n') + '\n')
  await runIngest({ casePath, sourcePath: log }, await prepareScoring({ kind: 'model', path: modelPath }, casePath))
  return { casePath, log }
}

/** Everything a viewer shows of source 1, in comparable form. */
function view(casePath: string): { lines: unknown[]; anomalies: unknown[]; templates: unknown[]; state: string | undefined; count: number } {
  const store = CaseStore.open(casePath)
  try {
    const count = store.index(1).length
    const canonical = store.canonicalTemplates()
    const text = new Map(store.templates().map((t) => [t.id, t.text]))
    const lines = store.lines(1, 1, count).map((l) => [l.lineNo, l.offset, l.text, text.get(canonical.get(l.template) ?? l.template), l.level, l.flags, l.session, l.ts, Math.round(l.score * 1e4)])
    const anomalies = store.db.prepare(`SELECT line_no, score, reasons FROM anomaly_reasons WHERE source_id = 1 ORDER BY line_no`).all()
    const templates = store.templates().map((t) => [t.text, t.count, t.baselineCount])
    return { lines, anomalies, templates, state: store.source(1)?.state, count }
  } finally {
    store.close()
  }
}

describe('followIntoCase', () => {
  it('appends what the file gains so the case reads as if the whole file had been ingested', async () => {
    const whole = await ingest([...before, ...after])
    const { casePath, log } = await ingest(before)
    const viewer = CaseStore.open(casePath)
    expect(viewer.index(1).length).toBe(before.length)

    const stop = new AbortController()
    let committed = 0
    const alerts: LiveAlert[] = []
    const following = followIntoCase(casePath, 1, {
      signal: stop.signal,
      pollMs: 20,
      commitIntervalMs: 20,
      onCommit: (lines) => (committed = lines),
      onAlerts: (a) => alerts.push(...a)
    })
    const text = after.join('\n') + '\n'
    // Three writes, the second ending inside a line.
    appendFileSync(log, text.slice(0, 20_000))
    await waitFor('the first lines', () => committed > before.length)
    expect(viewer.index(1).length).toBe(committed)
    appendFileSync(log, text.slice(20_000, 50_000))
    appendFileSync(log, text.slice(50_000))
    await waitFor('every line', () => committed === before.length + after.length)
    stop.abort()
    expect(await following).toEqual({ linesAdded: after.length })

    // The viewer's open store sees the new lines and anomalies.
    expect(viewer.index(1).length).toBe(before.length + after.length)
    const novelLine = before.length + 301
    expect(viewer.lines(1, novelLine, 3).map((l) => l.text)).toEqual([novel, ...trace])
    expect(viewer.anomaly(1, novelLine)?.reasons[0]).toMatch(/never seen/)
    expect(alerts.map((a) => a.lineNo)).toContain(novelLine)
    viewer.close()

    const got = view(casePath)
    const expected = view(whole.casePath)
    expect(got.state).toBe('complete')
    expect(got.count).toBe(expected.count)
    expect(got.lines).toEqual(expected.lines)
    expect(got.anomalies).toEqual(expected.anomalies)
    expect(got.templates).toEqual(expected.templates)
  })

  it('goes on where it stopped: lines written while nobody followed are added once', async () => {
    const { casePath, log } = await ingest(before)
    const run = async (until: number): Promise<void> => {
      const stop = new AbortController()
      let committed = 0
      const following = followIntoCase(casePath, 1, { signal: stop.signal, pollMs: 20, commitIntervalMs: 20, onCommit: (lines) => (committed = lines) })
      await waitFor(`${until} lines`, () => committed >= until)
      stop.abort()
      await following
    }
    appendFileSync(log, after.slice(0, 100).join('\n') + '\n')
    await run(before.length + 100)
    // Written while stopped, CRLF this time.
    appendFileSync(log, after.slice(100, 200).join('\r\n') + '\r\n')
    await run(before.length + 200)
    const got = view(casePath)
    expect(got.count).toBe(before.length + 200)
    expect(got.lines.slice(before.length).map((l) => (l as unknown[])[2])).toEqual(after.slice(0, 200))
  })
})
