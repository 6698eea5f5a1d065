/**
 * Finds Electron's runtime the way `require('electron')` does, but without its fallback of
 * downloading one: these machines cannot reach Electron's download host, and a failed
 * download attempt should not be a side effect of merely asking.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

export type ElectronBinary = { found: true; path: string } | { found: false; reason: string }

export function findElectronBinary(): ElectronBinary {
  let packageDir: string
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'))
  } catch {
    return { found: false, reason: 'the electron package is not installed (run npm ci)' }
  }
  const pathFile = join(packageDir, 'path.txt')
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const candidate = override
    ? join(override, relative ?? 'electron')
    : relative
      ? join(packageDir, 'dist', relative)
      : undefined
  if (candidate && existsSync(candidate)) return { found: true, path: candidate }
  return {
    found: false,
    reason: 'the Electron runtime is not installed (its download host is unreachable from this machine)'
  }
}
