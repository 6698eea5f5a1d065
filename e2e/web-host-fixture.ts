/**
 * Each test gets its own engine: the real `faultline web` CLI in a child process, with a fresh
 * data folder (so a real SQLite file) and a random port and token.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { test as base } from '@playwright/test'

export interface RunningHost {
  /** The address with the token, as printed for the user. */
  url: string
  origin: string
  dataDir: string
  /** Stops the host process (idempotent). */
  stop(): Promise<void>
}

const bin = fileURLToPath(new URL('../bin/faultline.mjs', import.meta.url))

export async function startHost(dataDir: string): Promise<{ host: RunningHost; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'web', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    const timer = setTimeout(() => reject(new Error(`web host did not start in 20 s:\n${stderr}`)), 20_000)
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /serving on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1]) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`web host exited with ${code}:\n${stderr}`))
    })
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
  }
  return { host: { url, origin: new URL(url).origin, dataDir, stop }, child }
}

export const test = base.extend<{ host: RunningHost }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  host: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'faultline-e2e-'))
    const { host } = await startHost(dataDir)
    await use(host)
    await host.stop()
  }
})

export { expect } from '@playwright/test'
