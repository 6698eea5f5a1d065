import { join } from 'node:path'
import type { Command } from 'commander'
import open from 'open'
import { streamSink, createLogger } from '../../core/diagnostics/logger.ts'
import { defaultDataDir } from '../../core/platform/data-dir.ts'
import { systemClock } from '../../core/service/deps.ts'
import { createCoreService } from '../../core/service/create-core-service.ts'
import type { EngineWorkers } from '../../core/workspace/workspace.ts'
import { rendererDir, resourcesDir } from '../paths.ts'
import { startWebHost } from '../web-host/server.ts'
import { parsePort } from './options.ts'

export interface WebCommandOptions {
  port: number
  open: boolean
  dataDir: string
  /** Open the bundled sample incident as soon as the page loads. */
  startWith?: 'sample' | undefined
  /** Worker factories (a build's bundled workers); default: the TypeScript entries. */
  workers?: EngineWorkers | undefined
}

/** Starts the engine and the loopback web host; resolves once serving, prints the address. */
export async function runWebHost(options: WebCommandOptions): Promise<void> {
  const log = createLogger({ clock: systemClock, sink: streamSink((line) => process.stderr.write(line), 'warn') })
  const core = createCoreService({ dataDir: options.dataDir, resourcesDir, log, workers: options.workers, ingestThreadsAtStart: true })
  const host = await startWebHost({ core, staticDir: rendererDir, port: options.port, uploadDir: join(options.dataDir, 'uploads') })
  const url = options.startWith ? `${host.url}&open=${options.startWith}` : host.url
  process.stdout.write(`Faultline is serving on ${url}\n`)
  if (options.open) await open(url)

  const stop = async (): Promise<void> => {
    await host.close()
    core.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

export function registerWebCommand(program: Command): void {
  program
    .command('web')
    .description('serve the Faultline UI to a browser on 127.0.0.1, guarded by a per-launch token')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 0)
    .option('--open', 'open the address in the default browser', false)
    .option('--data-dir <dir>', 'folder for settings and recent cases', defaultDataDir())
    .action((options: WebCommandOptions) => runWebHost(options))
}
