/**
 * Global setup for both test runners (vitest and Playwright): one temporary folder per run, which
 * every test's temporary files go under, removed when the run ends. `os.tmpdir()` reads TMPDIR,
 * here and in the workers and processes started after (test workers, web hosts, Chromium's
 * profiles), so no test needs to clean up after itself for /tmp to stay clean: before this, a run
 * of `npm test` left some 70 folders and 300 MB of cases, logs and profiles behind.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export default function useRunTempRoot(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'faultline-test-run-'))
  const previous = process.env.TMPDIR
  process.env.TMPDIR = root
  return () => {
    if (previous === undefined) delete process.env.TMPDIR
    else process.env.TMPDIR = previous
    rmSync(root, { recursive: true, force: true })
  }
}
