import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { Command } from 'commander'
import { afterAll, describe, expect, it } from 'vitest'
import { registerParseCommand, runParse } from './parse.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-parse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function sink(): { out: Writable; text: () => string } {
  const parts: string[] = []
  const out = new Writable({
    write(chunk: Buffer, _enc, cb) {
      parts.push(chunk.toString())
      cb()
    }
  })
  return { out, text: () => parts.join('') }
}

const path = join(dir, 'syslog.log')
writeFileSync(
  path,
  ['Jun 14 15:16:01 box sshd[1]: Invalid user alice from 10.0.0.1', 'Jun 14 15:16:02 box sshd[2]: Invalid user bob from 10.0.0.2',
    'Jun 14 15:16:02 box sshd[2]: Invalid user carol from 10.0.0.3',
    'Jun 14 15:16:03 box cron[3]: job started'].join('\n') + '\n'
)

describe('faultline parse', () => {
  it('writes one JSON object per line with the documented keys, in order', async () => {
    const { out, text } = sink()
    await runParse(path, { jsonl: true }, out)
    const rows = text()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>)
    expect(rows.map((r) => Object.keys(r))).toEqual(Array(4).fill(['line', 'ts', 'level', 'component', 'templateId', 'template', 'params']))
    expect(rows[0]).toMatchObject({ line: 1, level: null, component: 'sshd', template: 'Invalid user <*> from <*>', params: ['alice', '10.0.0.1'] })
    expect(typeof rows[0]?.templateId).toBe('string')
    expect(typeof rows[0]?.ts).toBe('number')
  })

  it('prints a summary with the detected format and templates by count', async () => {
    const { out, text } = sink()
    await runParse(path, {}, out)
    expect(text()).toContain('<Timestamp> <Field> <Component>: <Content>')
    expect(text()).toMatch(/3 {2}\[\d+\] Invalid user <\*> from <\*>/)
  })

  it('registers `parse <file> [--jsonl] [--format <string>]`', () => {
    const program = new Command()
    registerParseCommand(program)
    const cmd = program.commands.find((c) => c.name() === 'parse')
    expect(cmd?.options.map((o) => o.long)).toEqual(['--jsonl', '--format'])
  })

  it('fails with a readable message on a missing file', async () => {
    await expect(runParse(join(dir, 'nope.log'), {}, sink().out)).rejects.toThrow(/cannot read/)
  })
})

describe('faultline parse --format', () => {
  it('uses the given layout instead of detection', async () => {
    const { out, text } = sink()
    await runParse(path, { jsonl: true, format: '<Month> <Day> <Time> <Host> <Component>: <Content>' }, out)
    const first = JSON.parse(text().split('\n')[0] ?? '{}') as Record<string, unknown>
    expect(first).toMatchObject({ line: 1, component: 'sshd', template: 'Invalid user <*> from <*>' })
  })
})
