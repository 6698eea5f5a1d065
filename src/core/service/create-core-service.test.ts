import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createClient } from '../../shared/api/client.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { Settings } from '../../shared/api/contract.ts'
import { createLocalBridge } from '../api/local-bridge.ts'
import type { CoreService } from './create-core-service.ts'
import { createCoreService } from './create-core-service.ts'

const resourcesDir = new URL('../../../resources', import.meta.url).pathname
const services: CoreService[] = []
afterEach(() => {
  for (const service of services.splice(0)) service.close()
})

function start(dataDir = mkdtempSync(join(tmpdir(), 'faultline-core-'))) {
  const core = createCoreService({ dataDir, resourcesDir, clock: { now: () => 42 }, strict: true })
  services.push(core)
  return { core, api: createClient(createLocalBridge(core.router, core.events)), dataDir }
}

describe('core service through the typed client', () => {
  it('reports what engine and SQLite it runs on', async () => {
    const { api, dataDir } = start()
    const info = await api.request('app.info')
    expect(info).toMatchObject({ name: 'Faultline', dataDir, startedAt: 42 })
    expect(info.runtime.sqlite).toMatch(/^3\.\d+\.\d+$/)
  })

  it('persists settings in SQLite and tells every listener', async () => {
    const { api, core, dataDir } = start()
    const heard: Settings[] = []
    api.on('settings.changed', (settings) => heard.push(settings))
    await api.request('settings.update', { patch: { theme: 'light' } })
    expect(heard).toEqual([{ theme: 'light', desktopNotifications: false }])
    core.close()
    services.pop()
    const again = start(dataDir)
    expect(await again.api.request('settings.get')).toEqual({ theme: 'light', desktopNotifications: false })
  })

  it('rejects bad params with a typed ApiError instead of crashing', async () => {
    const { api } = start()
    const failure = await api.request('settings.update', { patch: { theme: 'sepia' as 'dark' } }).catch((e: unknown) => e)
    expect(failure).toBeInstanceOf(ApiError)
    expect((failure as ApiError).code).toBe('invalid_params')
    // …and keeps serving afterwards.
    expect(await api.request('settings.get')).toEqual({ theme: 'dark', desktopNotifications: false })
  })

  it('keeps its own log and streams new entries as events', async () => {
    const { api, core } = start()
    const { entries } = await api.request('app.log')
    expect(entries.some((entry) => entry.message.includes('ready'))).toBe(true)
    const streamed: string[] = []
    api.on('app.logged', (entry) => streamed.push(entry.message))
    core.log.warn('test', 'something odd')
    expect(streamed).toEqual(['something odd'])
  })
})
