import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../../core/case/case-store.ts'
import { addBookmark } from '../../core/case/marks.ts'
import { writeSampleLog } from '../../core/ingest/testing/sample-log.ts'
import { saveModel } from '../../core/model/model-file.ts'
import { trainModel } from '../../core/model/train.ts'
import { parseCsv } from '../../shared/export/csv.ts'
import { fromCsvRow, fromJsonLine } from '../../shared/export/export-record.ts'
import { plantedCorpus } from '../../shared/export/planted-secrets.ts'
import { runExport } from './export.ts'
import { runOpen } from './open.ts'
import { capture } from './testing/capture.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-export-cli-'))
const log = join(dir, 'shop.log')
const model = join(dir, 'baseline.json')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

beforeAll(async () => {
  await writeSampleLog(log, { lines: 20_000, seed: 4 })
  const baseline = join(dir, 'baseline.log')
  await writeSampleLog(baseline, { lines: 10_000, seed: 11, fault: null })
  await saveModel(await trainModel([baseline]), model)
})

describe('faultline export', () => {
  it('ingests a log against --model and writes every flagged line as CSV to --out', async () => {
    const out = join(dir, 'flagged.csv')
    const stderr = capture()
    const stats = await runExport(log, { format: 'csv', context: 0, out, model }, { stdout: capture().stream, stderr: stderr.stream })
    expect(stats.flagged).toBeGreaterThan(0)
    const records = parseCsv(readFileSync(out, 'utf8')).slice(1).map(fromCsvRow)
    expect(records.filter((r) => r.reasons.length > 0)).toHaveLength(stats.flagged)
    expect(records.every((r) => r.flagged && r.score !== null && r.score >= 0.5 && r.source === 'shop.log')).toBe(true)
    expect(stderr.text()).toMatch(/^flagged +\d/m)
    expect(stderr.text()).toMatch(new RegExp(`^exported +${stats.records.toLocaleString('en-US')} lines .* as csv to `, 'm'))
    // The temporary case is gone; only the export and the inputs remain.
    expect(readdirSync(dir).filter((f) => f.endsWith('.faultline') || f.endsWith('.partial'))).toEqual([])
  })

  it('without --model scores the log against itself and says so; JSON Lines go to stdout', async () => {
    const stdout = capture()
    const stderr = capture()
    const stats = await runExport(log, { format: 'jsonl', context: 1 }, { stdout: stdout.stream, stderr: stderr.stream })
    expect(stderr.text()).toContain('no --model given: training on')
    const records = stdout.text().trim().split('\n').map(fromJsonLine)
    expect(records).toHaveLength(stats.records)
    expect(records.some((r) => r.flagged)).toBe(true)
    expect(records.map((r) => r.lineNo)).toEqual([...records.map((r) => r.lineNo)].sort((a, b) => a - b))
  })

  it('reads a case as it is, bookmarks included, and redacts a Markdown report', async () => {
    const secretsLog = join(dir, 'secrets.log')
    const corpus = plantedCorpus(99)
    writeFileSync(secretsLog, `${corpus.lines.join('\n')}\n`)
    const casePath = join(dir, 'secrets.faultline')
    await runOpen(secretsLog, { case: casePath }, { stdout: capture().stream })
    const store = CaseStore.open(casePath)
    for (const line of [2, 7, 9]) addBookmark(store.db, 1, line, 0)
    store.close()
    const out = join(dir, 'report.md')
    const stderr = capture()
    const stats = await runExport(casePath, { format: 'md', context: 1, out, redact: true }, { stdout: capture().stream, stderr: stderr.stream })
    const md = readFileSync(out, 'utf8')
    expect(stats).toMatchObject({ flagged: 0, bookmarked: 3 })
    expect(md).toContain('| Model | none: the lines are not scored |')
    expect(md).toMatch(/^★ +7 {2}/m)
    expect(corpus.secrets.filter((s) => md.includes(s))).toEqual([])
    expect(stderr.text()).toMatch(/^redacted +\d+ ip, /m)
    await expect(runExport(casePath, { format: 'md', model }, { stdout: capture().stream, stderr: capture().stream })).rejects.toThrow(/--model is for a log file/)
    // A case under another name is still read as a case, not ingested as a log.
    const renamed = join(dir, 'secrets-case.db')
    copyFileSync(casePath, renamed)
    const again = capture()
    await runExport(renamed, { format: 'jsonl', context: 0 }, { stdout: again.stream, stderr: capture().stream })
    expect(again.text().trim().split('\n').map((l) => fromJsonLine(l).lineNo)).toEqual([2, 7, 9])
  })

  it('refuses a missing input and leaves no partial file when the export fails', async () => {
    await expect(runExport(join(dir, 'nope.log'), { format: 'csv' }, { stdout: capture().stream, stderr: capture().stream })).rejects.toThrow(/cannot read/)
    const cancelled = runExport(log, { format: 'csv', model }, { stdout: capture().stream, stderr: capture().stream, onCancel: (cancel) => cancel() })
    await expect(cancelled).rejects.toThrow(/cancelled; nothing exported/)
    const casePath = join(dir, 'empty.faultline')
    CaseStore.create(casePath).close()
    const out = join(dir, 'empty.csv')
    await expect(runExport(casePath, { format: 'csv', out }, { stdout: capture().stream, stderr: capture().stream })).rejects.toThrow(/holds no log/)
    expect(existsSync(out)).toBe(false)
  })
})
