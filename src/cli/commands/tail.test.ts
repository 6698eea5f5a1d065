import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../../core/case/case-store.ts'
import { runIngest } from '../../core/ingest/run-ingest.ts'
import { prepareScoring } from '../../core/ingest/scorer-spec.ts'
import { saveModel } from '../../core/model/model-file.ts'
import { trainModel } from '../../core/model/train.ts'
import { generateSample } from '../../core/sample/sample-incident.ts'
import { waitFor } from '../../core/tail/testing/wait-for.ts'

const bin = new URL('../../../bin/faultline.mjs', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-tail-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const normal = [...generateSample({ seed: 5, lines: 5_000, fault: null })].map((l) => l.text)
const novel = (n: number): string => `2026-11-24T14:30:0${n}.000Z FATAL [payments] c.s.payments.PaymentGateway: Ledger checksum mismatch on shard ${n}, refusing writes`
const modelPath = join(dir, 'model.json')

beforeAll(async () => {
  const reference = join(dir, 'reference.log')
  writeFileSync(reference, normal.slice(0, 4_000).join('\n') + '\n')
  await saveModel(await trainModel([reference]), modelPath)
})

/** A running `faultline tail` with its output so far. */
function startCli(args: string[]): { child: ChildProcess; stdout: () => string; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [bin, 'tail', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  return { child, stdout: () => out, stderr: () => err, exited }
}

/**
 * Runs `faultline tail <args>` (args[0] is the log) until `lines` appended to the log bring an
 * alert with `marker`, then stops it with Ctrl-C, which must end it cleanly.
 */
async function untilAlert(args: string[], lines: string[], marker: string): Promise<{ stderr: string; last: unknown }> {
  const cli = startCli(args)
  await waitFor('the follow to start', () => cli.stderr().includes('following'))
  appendFileSync(args[0] as string, lines.join('\n') + '\n')
  await waitFor('the alert', () => cli.stdout().includes(marker))
  cli.child.kill('SIGINT')
  expect(await cli.exited).toBe(0)
  return { stderr: cli.stderr(), last: JSON.parse(cli.stdout().trim().split('\n').at(-1) ?? '{}') }
}

describe('faultline tail', () => {
  it('prints one JSON object per alert as lines arrive, across a rotation, and stops cleanly on Ctrl-C', async () => {
    const log = join(dir, 'jsonl.log')
    writeFileSync(log, normal.slice(4_000, 4_100).join('\n') + '\n')
    const cli = startCli([log, '--model', modelPath, '--jsonl'])
    await waitFor('the follow to start', () => cli.stderr().includes('following'))
    appendFileSync(log, [...normal.slice(4_100, 4_200), novel(1)].join('\n') + '\n')
    await waitFor('the first alert', () => cli.stdout().includes('shard 1,'))
    renameSync(log, `${log}.1`)
    writeFileSync(log, [...normal.slice(4_200, 4_250), novel(2)].join('\n') + '\n')
    await waitFor('the alert after the rotation', () => cli.stdout().includes('shard 2,'))
    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    const alerts = cli
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { line: number; ts: string | null; score: number; template: string; reasons: string[]; text: string })
    const first = alerts.find((a) => a.text === novel(1))
    expect(first).toMatchObject({ line: 101, ts: '2026-11-24T14:30:01.000Z' })
    expect(first?.score).toBeGreaterThan(0.9)
    expect(first?.reasons[0]).toMatch(/never seen/)
    expect(first?.template).toContain('Ledger checksum mismatch')
    expect(alerts.find((a) => a.text === novel(2))?.line).toBe(152)
    expect(cli.stderr()).toContain('was rotated or re-created')
    expect(cli.stderr()).toMatch(/stopped: 152 lines scored, 2 alerts/)
  })

  it('groups repeats of a template in plain output', async () => {
    const log = join(dir, 'plain.log')
    writeFileSync(log, '')
    const cli = startCli([log, '--model', modelPath])
    await waitFor('the follow to start', () => cli.stderr().includes('following'))
    appendFileSync(log, [novel(1), ...normal.slice(4_000, 4_010), novel(2), novel(3)].join('\n') + '\n')
    await waitFor('the grouped count', () => cli.stdout().includes('×3'))
    cli.child.kill('SIGINT')
    expect(await cli.exited).toBe(0)
    const printed = cli.stdout()
    expect(printed.match(/Ledger checksum mismatch/g)?.length).toBe(2)
    expect(printed).toMatch(/^14:30:01\.000 {2}0\.\d\d {2}line 1 {2}.*Ledger checksum mismatch/m)
    expect(printed).toMatch(/×3 in this minute \(lines 1–13/)
  })

  it('without a model, takes the lines already in the file as the reference', async () => {
    const log = join(dir, 'no-model.log')
    writeFileSync(log, normal.slice(0, 2_500).join('\n') + '\n')
    const cli = await untilAlert([log, '--jsonl'], [...normal.slice(2_500, 2_550), novel(4)], 'shard 4,')
    expect(cli.stderr).toContain('the lines already in the file are the reference')
    expect(cli.last).toMatchObject({ line: 51, text: novel(4) })
  })

  it('with --case, appends what the file gains to the case and prints its alerts with case line numbers', async () => {
    const log = join(dir, 'case.log')
    const casePath = join(dir, 'case.faultline')
    writeFileSync(log, normal.slice(4_000, 4_200).join('\n') + '\n')
    await runIngest({ casePath, sourcePath: log }, await prepareScoring({ kind: 'model', path: modelPath }, casePath))
    const cli = await untilAlert([log, '--case', casePath, '--jsonl'], [...normal.slice(4_200, 4_230), novel(5)], 'shard 5,')
    expect(cli.stderr).toContain('200 lines so far; scored with model.json')
    expect(cli.stderr).toContain('stopped: 31 lines added to the case')
    expect(cli.last).toMatchObject({ line: 231, text: novel(5) })
    const store = CaseStore.open(casePath)
    try {
      expect(store.source(1)).toMatchObject({ lines: 231, state: 'complete' })
      expect(store.lines(1, 231, 1)[0]?.text).toBe(novel(5))
      expect(store.anomaly(1, 231)?.reasons[0]).toMatch(/never seen/)
    } finally {
      store.close()
    }
  })

  it('refuses a compressed file with a clear message', async () => {
    const log = join(dir, 'packed.log')
    writeFileSync(log, Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]))
    const cli = startCli([log, '--model', modelPath])
    expect(await cli.exited).toBe(1)
    expect(cli.stderr()).toContain('is compressed; only plain log files can be followed')
  })
})
