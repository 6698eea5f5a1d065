/**
 * `npm start` and `npm run web`. Builds when the sources are newer than the build, then opens
 * the Electron window; where no Electron runtime is installed, says so in one line and serves
 * the same UI on loopback instead.
 *
 *   npm start [-- --port N --open]       desktop app (or the web host as a fallback) on the sample incident
 *   npm start -- --no-sample             the same, on the start screen
 *   npm run web [-- --port N --open]     the web host directly, on the start screen
 */
import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { parsePort } from '../src/cli/commands/options.ts'
import { runWebHost } from '../src/cli/commands/web.ts'
import { defaultDataDir } from '../src/core/platform/data-dir.ts'
import { buildIsFresh, builtWorkers } from '../src/cli/built-workers.ts'
import { findElectronBinary } from './electron-binary.ts'

const root = new URL('..', import.meta.url).pathname
const { values } = parseArgs({
  options: {
    web: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    open: { type: 'boolean', default: false },
    sample: { type: 'boolean' },
    'no-sample': { type: 'boolean', default: false },
    'data-dir': { type: 'string' }
  }
})
// `npm start` shows the bundled sample incident straight away; `npm run web` the start screen.
const sample = values.sample ?? (!values.web && !values['no-sample'])

ensureBuilt()

const electron = values.web ? undefined : findElectronBinary()
if (electron?.found) {
  const child = spawn(electron.path, [root], {
    stdio: 'inherit',
    env: { ...process.env, ...(sample && { FAULTLINE_OPEN: 'sample' }) }
  })
  child.on('exit', (code) => process.exit(code ?? 0))
} else {
  if (electron && !electron.found) {
    console.log(`Electron is not available: ${electron.reason}; serving the same UI in your browser instead.`)
  }
  await runWebHost({
    port: parsePort(values.port),
    open: values.open,
    dataDir: values['data-dir'] ?? defaultDataDir(),
    startWith: sample ? 'sample' : undefined,
    // The build just checked is current: its bundled workers start faster than the .ts entries.
    workers: await builtWorkers()
  })
}

/** Rebuild when any source the build depends on is newer than the built files. */
function ensureBuilt(): void {
  if (buildIsFresh()) return
  console.log('Building Faultline…')
  const build = spawnSync(process.execPath, [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit']
  })
  if (build.status !== 0) {
    console.error('The build failed; see the errors above.')
    process.exit(build.status ?? 1)
  }
}
