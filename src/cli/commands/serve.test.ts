import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { generateSample } from '../../core/sample/sample-incident.ts'

const run = promisify(execFile)
const bin = new URL('../../../bin/faultline.mjs', import.meta.url).pathname

describe('faultline serve', () => {
  it('refuses to start without a model, saying how to give one', async () => {
    await expect(run(process.execPath, [bin, 'serve', '--port', '0'])).rejects.toMatchObject({ stderr: expect.stringMatching(/--model .*--baseline/) as unknown })
  })

  it('trains from --baseline, prints its address, scores over HTTP and shuts down cleanly on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-cli-serve-'))
    const lines = [...generateSample({ seed: 9, lines: 2_000, fault: null })].map((l) => l.text)
    writeFileSync(join(dir, 'baseline.log'), lines.join('\n') + '\n')
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--baseline', join(dir, 'baseline.log')], { stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const origin = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)
        if (found) resolve(found[1] as string)
      })
      child.on('exit', () => reject(new Error(`serve exited early: ${out}`)))
    })
    const reply = await fetch(`${origin}/score-log`, { method: 'POST', body: JSON.stringify({ log_message: lines[0] }) })
    expect(reply.status).toBe(200)
    expect(await reply.json()).toMatchObject({ is_anomaly: false, known_template: true })
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  })
})
