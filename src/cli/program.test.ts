import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import pkg from '../../package.json' with { type: 'json' }

const run = promisify(execFile)
const bin = new URL('../../bin/faultline.mjs', import.meta.url).pathname

describe('faultline CLI', () => {
  it('prints its version', async () => {
    const { stdout } = await run(process.execPath, [bin, '--version'])
    expect(stdout.trim()).toBe(pkg.version)
  })

  it('lists its commands in --help', async () => {
    const { stdout } = await run(process.execPath, [bin, '--help'])
    expect(stdout).toContain('Usage: faultline')
    expect(stdout).toMatch(/\bweb\b/)
  })

  it('rejects a bad option with a clear message and a non-zero exit', async () => {
    const failure = await run(process.execPath, [bin, 'web', '--port', 'eighty']).catch((e: { code: number; stderr: string }) => e)
    expect(failure).toMatchObject({ code: 1 })
    expect((failure as { stderr: string }).stderr).toContain('expected a port number')
  })
})
