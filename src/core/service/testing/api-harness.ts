/**
 * For API tests: a core service behind the local bridge (closed after each test), generated
 * log files, and a promise for the next event matching a test.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { createClient } from '../../../shared/api/client.ts'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import { createLocalBridge } from '../../api/local-bridge.ts'
import { generateSample } from '../../sample/sample-incident.ts'
import { createCoreService } from '../create-core-service.ts'
import type { CoreService } from '../create-core-service.ts'

const resourcesDir = new URL('../../../../resources', import.meta.url).pathname
const services: CoreService[] = []
afterEach(() => {
  for (const service of services.splice(0)) service.close()
})

/** A core service with its data in `dataDir`, and a client talking to it through the local bridge. */
export function startService(dataDir: string): { core: CoreService; api: FaultlineApi } {
  const core = createCoreService({ dataDir, resourcesDir, strict: true })
  services.push(core)
  return { core, api: createClient(createLocalBridge(core.router, core.events)) }
}

export function writeLog(dir: string, name: string, options: Parameters<typeof generateSample>[0]): string {
  const path = join(dir, name)
  writeFileSync(path, [...generateSample(options)].map((l) => l.text).join('\n') + '\n')
  return path
}

export function until<T>(api: FaultlineApi, event: 'case.training' | 'case.changed', match: (payload: T) => boolean): Promise<T> {
  return new Promise((resolve) => {
    const off = api.on(event, (payload) => {
      if (match(payload as T)) {
        off()
        resolve(payload as T)
      }
    })
  })
}
