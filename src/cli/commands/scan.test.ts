import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const run = promisify(execFile)
const bin = new URL('../../../bin/faultline.mjs', import.meta.url).pathname

/** A small block-session log: three normal sessions, then one that ends early with an error. */
function writeLogs(dir: string): { baseline: string; incident: string } {
  const session = (id: number, t: number): string[] => [
    `081109 2036${String(t).padStart(2, '0')} 143 INFO dfs.DataNode: Receiving block blk_${id} src: /10.0.0.1:5000`,
    `081109 2036${String(t).padStart(2, '0')} 143 INFO dfs.DataNode: Received block blk_${id} of size 67108864 from /10.0.0.1`,
    `081109 2036${String(t).padStart(2, '0')} 143 INFO dfs.DataNode: PacketResponder 1 for block blk_${id} terminating`
  ]
  const baseline = Array.from({ length: 60 }, (_, i) => session(1000 + i, i % 60)).flat()
  const incident = [
    ...Array.from({ length: 5 }, (_, i) => session(2000 + i, i)).flat(),
    `081109 203659 143 INFO dfs.DataNode: Receiving block blk_9999 src: /10.0.0.1:5000`,
    `081109 203659 143 WARN dfs.DataNode: Exception in receiveBlock for block blk_9999 java.io.IOException: Connection reset by peer`
  ]
  const paths = { baseline: join(dir, 'baseline.log'), incident: join(dir, 'incident.log') }
  writeFileSync(paths.baseline, baseline.join('\n') + '\n')
  writeFileSync(paths.incident, incident.join('\n') + '\n')
  return paths
}

describe('faultline train and scan', () => {
  it('trains a model and scans with it, one JSON object per line then per session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-scan-'))
    const { baseline, incident } = writeLogs(dir)
    const model = join(dir, 'model.json')
    const trained = await run(process.execPath, [bin, 'train', baseline, '--out', model])
    expect(trained.stderr).toContain('templates')
    const { stdout } = await run(process.execPath, [bin, 'scan', incident, '--model', model, '--jsonl'])
    const records = stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)
    const lines = records.filter((r) => 'line' in r)
    const sessions = records.filter((r) => 'session' in r)
    expect(lines).toHaveLength(17)
    expect(Object.keys(lines[0] ?? {})).toEqual(['line', 'score', 'anomaly', 'templateId', 'reasons'])
    expect(lines.at(-1)).toMatchObject({ line: 17, anomaly: true })
    expect((lines.at(-1)?.reasons as string[])[0]).toMatch(/never seen in baseline/)
    expect(sessions.find((s) => s.session === 'blk_9999')).toMatchObject({ anomaly: true })
    expect(sessions.find((s) => s.session === 'blk_2000')).toMatchObject({ anomaly: false })
  }, 30_000)

  it('prints a readable summary without --jsonl, self-trained when no model is given', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-scan-'))
    const { incident } = writeLogs(dir)
    const { stdout } = await run(process.execPath, [bin, 'scan', incident])
    expect(stdout).toContain('self-trained on this file')
    expect(stdout).toMatch(/flagged\s+\d+ records/)
  }, 30_000)

  it('explains a bad model file instead of crashing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-scan-'))
    const { incident } = writeLogs(dir)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, '{"format":"faultline-model","schemaVersion":1,"checksum":"x","model":{}}')
    const failure = await run(process.execPath, [bin, 'scan', incident, '--model', bad]).catch((e: { code: number; stderr: string }) => e)
    expect(failure).toMatchObject({ code: 1 })
    expect((failure as { stderr: string }).stderr).toMatch(/damaged/)
  }, 30_000)
})
