import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { createCoreService } from '../../core/service/create-core-service.ts'
import { downloadPath } from '../../shared/api/wire.ts'
import { startWebHost } from './server.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('downloads from the web host', () => {
  it('sends an offered file as an attachment, with the token only, and forgets unknown ids', async () => {
    const root = mkdtempSync(join(tmpdir(), 'faultline-download-'))
    mkdirSync(join(root, 'renderer'))
    const core = createCoreService({ dataDir: join(root, 'data'), resourcesDir: join(root, 'resources') })
    const host = await startWebHost({ core, staticDir: join(root, 'renderer'), token: 'test-token' })
    cleanups.push(() => core.close(), () => host.close())
    const file = join(root, 'report.md')
    writeFileSync(file, '# Postmortem — ünïcode\n')
    const offered = core.downloads.offer(file, 'incident report ü.md', 'text/markdown')
    const url = `${host.origin}${downloadPath}/${offered.id}`

    expect((await fetch(url)).status).toBe(401)
    const response = await fetch(url, { headers: { Authorization: 'Bearer test-token' } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/markdown')
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="incident report _.md"; filename*=UTF-8''incident%20report%20%C3%BC.md`)
    expect(await response.text()).toBe('# Postmortem — ünïcode\n')
    expect((await fetch(`${host.origin}${downloadPath}/no-such-id`, { headers: { Authorization: 'Bearer test-token' } })).status).toBe(404)
    expect((await fetch(url, { method: 'POST', headers: { Authorization: 'Bearer test-token' } })).status).toBe(405)
  })
})
