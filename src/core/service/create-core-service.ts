/**
 * The engine, wired by hand. The Electron main process, the CLI, the web host and the tests all
 * build the engine through this one function and reach it only through `router` and `events`.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { createEventBus } from '../api/event-bus.ts'
import type { EventBus } from '../api/event-bus.ts'
import { createRouter } from '../api/router.ts'
import type { Handlers, Router } from '../api/router.ts'
import { createLogger } from '../diagnostics/logger.ts'
import type { Logger } from '../diagnostics/logger.ts'
import { openAppDb } from '../store/app-db.ts'
import { ApiError } from '../../shared/api/errors.ts'
import { productName, productVersion } from '../version.ts'
import { Workspace } from '../workspace/workspace.ts'
import type { EngineWorkers } from '../workspace/workspace.ts'
import { ModelLibrary } from '../models/model-library.ts'
import { caseHandlers } from './case-handlers.ts'
import { Downloads } from './downloads.ts'
import { exportHandlers } from './export-handlers.ts'
import { modelHandlers } from './model-handlers.ts'
import type { Clock, Random } from './deps.ts'
import { systemClock, systemRandom } from './deps.ts'

export interface CoreDeps {
  /** Folder for the app database and case files; created if missing. */
  dataDir: string
  /** The app's bundled files (the sample incident lives in `sample/`). */
  resourcesDir: string
  clock?: Clock
  random?: Random
  log?: Logger
  /** Validate handler results against the contract (tests). */
  strict?: boolean
  /** What only a desktop shell can do (a native file dialog); absent in the web host. */
  shell?: DesktopShell
  /** Worker factories for a bundled build (Electron); Node uses the engine's defaults. */
  workers?: EngineWorkers
  /** An app's engine: the first ingest's threads start at once (see threads-ahead.ts). */
  ingestThreadsAtStart?: boolean
}

export interface DesktopShell {
  /** Paths the user chose, or none when the dialog was cancelled. */
  pickFiles(options: { title: string; multiple: boolean }): Promise<string[]>
  /** Where the user chose to save a file, or null when the dialog was cancelled. */
  saveFile(options: { title: string; name: string }): Promise<string | null>
  /** A desktop notification. */
  notify(options: { title: string; body: string }): void
}

export interface CoreService {
  readonly router: Router
  readonly events: EventBus
  readonly log: Logger
  /** Files prepared for the user to save; the web host serves them. */
  readonly downloads: Downloads
  close(): void
}

export function createCoreService(deps: CoreDeps): CoreService {
  const clock = deps.clock ?? systemClock
  // Held for the models and samplers that later features add.
  void (deps.random ?? systemRandom)
  const log = deps.log ?? createLogger({ clock })
  const events = createEventBus((error) => log.warn('events', `a listener failed: ${String(error)}`))
  const stopForwardingLog = log.onEntry((entry) => events.emit('app.logged', entry))

  mkdirSync(deps.dataDir, { recursive: true })
  const appDb = openAppDb(deps.dataDir)
  const startedAt = clock.now()
  const library = new ModelLibrary(join(deps.dataDir, 'models'), appDb.db, clock)
  const downloads = new Downloads()

  const workspace = new Workspace({
    dataDir: deps.dataDir,
    sampleDir: join(deps.resourcesDir, 'sample'),
    clock,
    log,
    onProgress: (event) => events.emit('ingest.progress', event),
    onChanged: (summary) => events.emit('case.changed', summary),
    onOpened: (path, title) => appDb.touchRecent({ path, title, openedAt: clock.now() }),
    onForgotten: (path) => appDb.forgetRecent(path),
    workers: deps.workers,
    ingestThreadsAtStart: deps.ingestThreadsAtStart,
    library,
    onTraining: (event) => events.emit('case.training', event),
    onOpening: (event) => events.emit('case.opening', event),
    onAlerts: (caseId, sourceId, alerts) => events.emit('case.alerts', { caseId, sourceId, alerts })
  })

  const handlers: Handlers = {
    'app.info': () => ({
      name: productName,
      version: productVersion,
      runtime: { node: process.versions.node, sqlite: appDb.sqliteVersion, platform: `${process.platform}-${process.arch}` },
      dataDir: deps.dataDir,
      startedAt
    }),
    'app.log': ({ limit }) => ({ entries: log.recent(limit) }),
    'app.pickFiles': async (options) => {
      if (!deps.shell) throw new ApiError('unavailable', 'No file dialog here: type the path instead')
      return { paths: await deps.shell.pickFiles(options) }
    },
    'app.notify': (options) => {
      if (!deps.shell) throw new ApiError('unavailable', 'The browser shows its own notifications')
      deps.shell.notify(options)
      return { shown: true }
    },
    'settings.get': () => appDb.getSettings(),
    'settings.update': ({ patch }) => {
      const settings = appDb.updateSettings(patch)
      events.emit('settings.changed', settings)
      return settings
    },
    ...caseHandlers(workspace, appDb),
    ...modelHandlers({ workspace, library, downloads, shell: deps.shell }),
    ...exportHandlers({ workspace, downloads, dataDir: deps.dataDir, clock })
  }

  const router = createRouter(handlers, { log, validateResults: deps.strict ?? false })
  log.info('core', `engine ${productVersion} ready (SQLite ${appDb.sqliteVersion}, Node ${process.versions.node})`)

  return {
    router,
    events,
    log,
    downloads,
    close() {
      stopForwardingLog()
      workspace.closeAll()
      appDb.close()
    }
  }
}
