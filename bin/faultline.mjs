#!/usr/bin/env node
// The CLI runs its TypeScript sources directly, which needs Node >= 22.18 (built-in type
// stripping); better-sqlite3's prebuilt binary needs N-API 10 as well. The project pins such a
// Node as a devDependency. When an older Node starts us (say the system's Node 20, outside npm
// scripts), hand over to the pinned one rather than crash later.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 18)) {
  const pinned = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url))
  if (!existsSync(pinned)) {
    console.error(`faultline: needs Node 22.18 or newer (this is ${process.version}); run \`npm ci\` to install the pinned one.`)
    process.exit(1)
  }
  const child = spawnSync(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' })
  process.exit(child.status ?? 1)
}

await import('../src/cli/main.ts')
