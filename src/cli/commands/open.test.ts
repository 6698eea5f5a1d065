import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../../core/case/case-store.ts'
import { writeSampleLog } from '../../core/ingest/testing/sample-log.ts'
import { saveModel } from '../../core/model/model-file.ts'
import { trainModel } from '../../core/model/train.ts'
import { defaultCasePath, runOpen } from './open.ts'
import { capture } from './testing/capture.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-open-'))
const log = join(dir, 'shop.log')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

beforeAll(async () => {
  await writeSampleLog(log, { lines: 60_000, seed: 4 })
})

describe('faultline open', () => {
  it('refuses a binary file with a clear message, reads it with --anyway, and reports a cut-off .gz as partial', async () => {
    const binary = join(dir, 'core.bin')
    writeFileSync(binary, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 256)))
    const casePath = join(dir, 'binary.faultline')
    await expect(runOpen(binary, { case: casePath }, { stdout: capture().stream })).rejects.toThrow(/does not look like a text log/)
    expect(existsSync(casePath)).toBe(false)
    expect(await runOpen(binary, { case: casePath, anyway: true }, { stdout: capture().stream })).toMatchObject({ state: 'complete' })
    const cut = join(dir, 'cut.log.gz')
    const gz = gzipSync('a line\n'.repeat(50_000))
    writeFileSync(cut, gz.subarray(0, gz.length >> 1))
    const out = capture()
    expect(await runOpen(cut, { case: join(dir, 'cut.faultline') }, { stdout: out.stream })).toMatchObject({ state: 'partial' })
    expect(out.text()).toMatch(/^state +partial: the gzip data is damaged or cut off/m)
  })

  it('ingests into a new case and prints progress lines and a summary', async () => {
    const out = capture()
    const casePath = join(dir, 'a.faultline')
    const summary = await runOpen(log, { case: casePath }, { stdout: out.stream })
    expect(summary).toMatchObject({ state: 'complete', lines: 60_000 })
    expect(out.text()).toMatch(/^ingesting: /m)
    expect(out.text()).toMatch(/^format +<Timestamp> <Level>/m)
    expect(out.text()).toMatch(/^lines +60,000$/m)
    expect(out.text()).toMatch(/^templates +\d+/m)
    expect(out.text()).toMatch(/^flagged +not scored/m)
    expect(out.text()).toMatch(/^time +\d+\.\d s/m)
    await expect(runOpen(log, { case: casePath }, { stdout: capture().stream })).rejects.toThrow(/already holds/)
  })

  it('resumes an interrupted ingest when run again', async () => {
    const casePath = join(dir, 'b.faultline')
    const first = await runOpen(log, { case: casePath }, { stdout: capture().stream, onCancel: (cancel) => cancel() })
    expect(first.state).toBe('cancelled')
    const out = capture()
    const second = await runOpen(log, { case: casePath }, { stdout: out.stream })
    expect(out.text()).toContain('resuming')
    expect(second).toMatchObject({ state: 'complete', lines: 60_000, resumedAt: first.lines })
    const store = CaseStore.open(casePath)
    expect(store.sources()).toHaveLength(1)
    store.close()
  })

  it('scores with --model and lists the top reasons', async () => {
    const baseline = join(dir, 'baseline.log')
    await writeSampleLog(baseline, { lines: 20_000, seed: 11, fault: null })
    const model = join(dir, 'baseline.json')
    await saveModel(await trainModel([baseline]), model)
    const out = capture()
    const summary = await runOpen(log, { case: join(dir, 'c.faultline'), model }, { stdout: out.stream })
    expect(summary.flagged).toBeGreaterThan(0)
    expect(out.text()).toMatch(new RegExp(`^flagged +${summary.flagged.toLocaleString('en-US')} lines`, 'm'))
    expect(out.text()).toMatch(/^top reasons\n +\d+ {2}\S/m)
    await expect(runOpen(log, { model: join(dir, 'missing.json') }, { stdout: capture().stream })).rejects.toThrow(/cannot read model/)
  })

  it('names the default case after the file', () => {
    expect(defaultCasePath('/var/log/app.log.gz')).toMatch(/\/app\.faultline$/)
  })
})
