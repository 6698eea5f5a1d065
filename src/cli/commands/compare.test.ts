import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateSample } from '../../core/sample/sample-incident.ts'

const run = promisify(execFile)
const bin = new URL('../../../bin/faultline.mjs', import.meta.url).pathname
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-cli-compare-'))
  const write = (name: string, lines: string[]): void => writeFileSync(join(dir, name), lines.join('\n') + '\n')
  write('baseline.log', [...generateSample({ seed: 1, lines: 10_000, fault: null })].map((l) => l.text))
  write('incident.log', [...generateSample({ seed: 2, lines: 6_000, fault: { startAt: 0.4, length: 0.3 } })].map((l) => l.text))
})

describe('faultline compare', () => {
  it('prints new, vanished and rate-changed templates against baseline files', async () => {
    const { stdout } = await run(process.execPath, [bin, 'compare', join(dir, 'baseline.log'), join(dir, 'incident.log')])
    expect(stdout).toMatch(/^baseline {4}.*baseline\.log \(10,000 lines\)/m)
    expect(stdout).toMatch(/^new in the incident \(\d+\)/m)
    expect(stdout).toMatch(/^vanished \(/m)
    expect(stdout).toMatch(/^rate changed/m)
    expect(stdout).toContain('Failover to replica')
  })

  it('gives the same rows from a saved model, one JSON object per row with --jsonl', async () => {
    const model = join(dir, 'model.json')
    await run(process.execPath, [bin, 'train', join(dir, 'baseline.log'), '--out', model])
    const fromFiles = await run(process.execPath, [bin, 'compare', join(dir, 'baseline.log'), join(dir, 'incident.log'), '--jsonl'])
    const fromModel = await run(process.execPath, [bin, 'compare', '--model', model, join(dir, 'incident.log'), '--jsonl'])
    const rows = fromModel.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) expect(row).toHaveProperty('kind')
    expect(rows.find((r) => r.kind === 'new')).toMatchObject({ baselineCount: 0, ratio: null })
    expect(fromModel.stdout).toBe(fromFiles.stdout)
  })

  it('asks for a baseline when given only the incident', async () => {
    await expect(run(process.execPath, [bin, 'compare', join(dir, 'incident.log')])).rejects.toMatchObject({ stderr: expect.stringMatching(/needs a baseline/) as unknown })
  })
})
