/**
 * The layer rules in eslint.config.js, proven: a planted import that crosses a layer is an
 * error, and the imports each layer is meant to use are not.
 */
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

const eslint = new ESLint({ cwd: process.cwd() })

async function boundaryErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath })
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message)
}

const planted: [layer: string, file: string, importLine: string][] = [
  ['shared', 'src/shared/planted.ts', `import { readFileSync } from 'node:fs'`],
  ['shared', 'src/shared/planted.ts', `import { readFileSync } from 'fs'`],
  ['shared', 'src/shared/planted.ts', `import { app } from 'electron'`],
  ['shared', 'src/shared/planted.ts', `import { createCoreService } from '../core/service/create-core-service.ts'`],
  ['shared', 'src/shared/api/planted.ts', `import { createRoot } from 'react-dom/client'`],
  ['core', 'src/core/planted.ts', `import { app } from 'electron'`],
  ['core', 'src/core/store/planted.ts', `import { startWebHost } from '../../cli/web-host/server.ts'`],
  ['core', 'src/core/planted.ts', `import { App } from '../renderer/src/App.tsx'`],
  ['cli', 'src/cli/planted.ts', `import { ipcMain } from 'electron'`],
  ['cli', 'src/cli/planted.ts', `import { attachIpc } from '../main/ipc.ts'`],
  ['main', 'src/main/planted.ts', `import { runWebHost } from '../cli/commands/web.ts'`],
  ['preload', 'src/preload/planted.ts', `import { createRouter } from '../core/api/router.ts'`],
  ['preload', 'src/preload/planted.ts', `import { readFileSync } from 'node:fs'`],
  ['renderer', 'src/renderer/src/planted.ts', `import { readFileSync } from 'node:fs'`],
  ['renderer', 'src/renderer/src/planted.ts', `import { ipcRenderer } from 'electron'`],
  ['renderer', 'src/renderer/src/planted.ts', `import { createRouter } from '../../core/api/router.ts'`],
  ['renderer', 'src/renderer/src/planted.ts', `import Database from 'better-sqlite3'`]
]

const allowed: [layer: string, file: string, importLine: string][] = [
  ['shared', 'src/shared/planted.ts', `import { z } from 'zod'`],
  ['core', 'src/core/planted.ts', `import { readFileSync } from 'node:fs'`],
  ['core', 'src/core/planted.ts', `import { requests } from '../shared/api/contract.ts'`],
  ['cli', 'src/cli/planted.ts', `import { createCoreService } from '../core/service/create-core-service.ts'`],
  ['main', 'src/main/planted.ts', `import { app } from 'electron'`],
  ['main', 'src/main/planted.ts', `import { createCoreService } from '../core/service/create-core-service.ts'`],
  ['preload', 'src/preload/planted.ts', `import { contextBridge } from 'electron'`],
  ['renderer', 'src/renderer/src/planted.ts', `import { createClient } from '../../shared/api/client.ts'`],
  ['renderer', 'src/renderer/src/planted.ts', `import { useState } from 'react'`]
]

describe('layer boundaries', () => {
  it.each(planted)('%s: a planted violation is caught (%s: %s)', async (_layer, file, importLine) => {
    const errors = await boundaryErrors(file, `${importLine}\nexport const used = [${usedName(importLine)}]\n`)
    expect(errors.length).toBeGreaterThan(0)
  })

  it.each(allowed)('%s: an allowed import passes (%s: %s)', async (_layer, file, importLine) => {
    expect(await boundaryErrors(file, `${importLine}\nexport const used = [${usedName(importLine)}]\n`)).toEqual([])
  })
})

function usedName(importLine: string): string {
  return /import\s+(?:\{\s*)?(\w+)/.exec(importLine)?.[1] ?? ''
}
