import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createCoreService } from '../../core/service/create-core-service.ts'
import type { ServerMessage } from '../../shared/api/wire.ts'
import { apiSocketPath } from '../../shared/api/wire.ts'
import type { WebHost } from './server.ts'
import { startWebHost } from './server.ts'

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function start(): Promise<WebHost & { staticDir: string }> {
  const root = mkdtempSync(join(tmpdir(), 'faultline-web-'))
  const staticDir = join(root, 'renderer')
  mkdirSync(join(staticDir, 'assets'), { recursive: true })
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Faultline test page</title>')
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(root, 'secret.txt'), 'outside the static folder')
  // Links that lead out of the folder must not be followed.
  mkdirSync(join(root, 'outside'))
  writeFileSync(join(root, 'outside', 'secret.txt'), 'outside the static folder')
  symlinkSync(join(root, 'outside'), join(staticDir, 'escape'))
  symlinkSync(join(root, 'secret.txt'), join(staticDir, 'escape-file.txt'))
  const core = createCoreService({ dataDir: join(root, 'data'), resourcesDir: join(root, 'resources'), strict: true })
  const host = await startWebHost({ core, staticDir, uploadDir: join(root, 'uploads') })
  cleanups.push(() => core.close(), () => host.close())
  return Object.assign(host, { staticDir })
}

function openSocket(host: WebHost, headers: Record<string, string> = {}): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}${apiSocketPath}`, { headers })
  cleanups.push(() => ws.terminate())
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

function nextMessage(ws: WebSocket, predicate: (m: ServerMessage) => boolean): Promise<ServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(String(data)) as ServerMessage
      if (predicate(message)) {
        ws.off('message', onMessage)
        resolve(message)
      }
    }
    ws.on('message', onMessage)
  })
}

const bearer = (host: WebHost) => ({ authorization: `Bearer ${host.token}` })

/** A request with its target sent exactly as given. */
function rawGet(host: WebHost, path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('web host', () => {
  it('listens on the loopback address only', async () => {
    const host = await start()
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('refuses static files, API requests and sockets without the token', async () => {
    const host = await start()
    expect((await fetch(`${host.origin}/`)).status).toBe(401)
    expect((await fetch(`${host.origin}/assets/app.js`)).status).toBe(401)
    expect((await fetch(`${host.origin}/api/app.info`, { method: 'POST', body: '{}' })).status).toBe(401)
    expect((await fetch(`${host.origin}/?token=wrong`, { redirect: 'manual' })).status).toBe(401)
    await expect(openSocket(host)).rejects.toThrow('HTTP 401')
    await expect(openSocket(host, { authorization: 'Bearer wrong' })).rejects.toThrow('HTTP 401')
  })

  it('trades the address token for an HttpOnly cookie and strips it from the address', async () => {
    const host = await start()
    const first = await fetch(host.url, { redirect: 'manual' })
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe('/')
    const cookie = first.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const page = await fetch(`${host.origin}/`, { headers: { cookie: cookie.split(';')[0] ?? '' } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Faultline test page')
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'")
  })

  it('serves the API over HTTP with typed errors', async () => {
    const host = await start()
    const ok = await fetch(`${host.origin}/api/app.info`, { method: 'POST', headers: bearer(host), body: '{}' })
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ ok: true, result: { name: 'Faultline' } })
    const bad = await fetch(`${host.origin}/api/settings.update`, {
      method: 'POST',
      headers: bearer(host),
      body: JSON.stringify({ patch: { theme: 7 } })
    })
    expect(bad.status).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    const unknown = await fetch(`${host.origin}/api/rm.rf`, { method: 'POST', headers: bearer(host) })
    expect(unknown.status).toBe(404)
    const notJson = await fetch(`${host.origin}/api/app.info`, { method: 'POST', headers: bearer(host), body: '{' })
    expect(notJson.status).toBe(400)
  })

  it('refuses API calls from a foreign origin even with the cookie', async () => {
    const host = await start()
    const res = await fetch(`${host.origin}/api/app.info`, {
      method: 'POST',
      headers: { ...bearer(host), origin: 'https://evil.example' },
      body: '{}'
    })
    expect(res.status).toBe(403)
    await expect(openSocket(host, { ...bearer(host), origin: 'https://evil.example' })).rejects.toThrow('HTTP 403')
  })

  it('answers requests and pushes events over the socket', async () => {
    const host = await start()
    const ws = await openSocket(host, bearer(host))
    const event = nextMessage(ws, (m) => m.type === 'event' && m.event === 'settings.changed')
    const reply = nextMessage(ws, (m) => m.type === 'reply' && m.id === 7)
    ws.send(JSON.stringify({ type: 'request', id: 7, method: 'settings.update', params: { patch: { theme: 'light' } } }))
    expect(await reply).toEqual({ type: 'reply', id: 7, reply: { ok: true, result: { theme: 'light', desktopNotifications: false } } })
    expect(await event).toEqual({ type: 'event', event: 'settings.changed', payload: { theme: 'light', desktopNotifications: false } })
  })

  it('closes a socket that sends garbage, and keeps serving others', async () => {
    const host = await start()
    const bad = await openSocket(host, bearer(host))
    const closed = new Promise<number>((resolve) => bad.once('close', (code) => resolve(code)))
    bad.send('not json at all')
    expect(await closed).toBe(1003)
    const good = await openSocket(host, bearer(host))
    const reply = nextMessage(good, (m) => m.type === 'reply')
    good.send(JSON.stringify({ type: 'request', id: 1, method: 'settings.get', params: {} }))
    expect(await reply).toMatchObject({ reply: { ok: true } })
  })

  it('saves an uploaded file under a safe name inside its folder, with the token only', async () => {
    const host = await start()
    const refused = await fetch(`${host.origin}/upload?name=x.log`, { method: 'POST', body: 'a' })
    expect(refused.status).toBe(401)
    const res = await fetch(`${host.origin}/upload?name=${encodeURIComponent('../../etc/passwd')}`, {
      method: 'POST',
      headers: bearer(host),
      body: 'line one\nline two\n'
    })
    expect(res.status).toBe(200)
    const { path } = (await res.json()) as { path: string }
    expect(path).toMatch(/uploads\/[^/]*-passwd$/)
    expect(readFileSync(path, 'utf8')).toBe('line one\nline two\n')
  })

  it('never serves a file outside its folder', async () => {
    const host = await start()
    // Raw request targets: fetch would normalise the dots away before they reach the server.
    const attempts = [
      '/../secret.txt',
      '/assets/../../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%252e%252e%252fsecret.txt',
      '/..%255csecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/assets\\..\\..\\secret.txt',
      `/${host.staticDir}/../secret.txt`,
      `//${host.staticDir}/../secret.txt`,
      '/%2f..%2fsecret.txt',
      '/escape/secret.txt',
      '/escape-file.txt',
      '/.%2e/.%2e/secret.txt',
      '/%c0%ae%c0%ae/secret.txt'
    ]
    for (const path of attempts) {
      const res = await rawGet(host, path, bearer(host))
      expect(res.body, path).not.toContain('outside the static folder')
    }
    // A file inside is served; the same through a symlink that leaves the folder is not.
    expect((await rawGet(host, '/assets/app.js', bearer(host))).body).toBe('console.log(1)')
  })

  it('answers only to its own host name (no DNS rebinding)', async () => {
    const host = await start()
    const foreign = await rawGet(host, '/api/app.info', { ...bearer(host), host: 'evil.example:80' }, 'POST')
    expect(foreign.status).toBe(403)
    expect((await rawGet(host, '/', { ...bearer(host), host: `localhost:${host.port}` })).status).toBe(200)
    const ws = openSocket(host, { ...bearer(host), host: `evil.example:${host.port}` })
    await expect(ws).rejects.toThrow('HTTP 403')
  })

  it('refuses uploads from a foreign origin', async () => {
    const host = await start()
    const res = await fetch(`${host.origin}/upload?name=x.log`, { method: 'POST', headers: { ...bearer(host), origin: 'https://evil.example' }, body: 'a' })
    expect(res.status).toBe(403)
  })
})
