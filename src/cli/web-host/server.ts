/**
 * The loopback web host: the same renderer the Electron window shows, served to a browser, with
 * the API over a WebSocket (requests and pushed events) and plain `POST /api/<method>` for
 * scripts. It is a thin adapter over the core router; it binds 127.0.0.1 only, answers only to
 * its own host name, and wants the per-launch token on every request and socket.
 */
import { existsSync, realpathSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, sep } from 'node:path'
import sirv from 'sirv'
import { WebSocketServer } from 'ws'
import type { WebSocket } from 'ws'
import { apiHttpPrefix, apiSocketPath, clientMessageSchema, downloadPath, uploadPath } from '../../shared/api/wire.ts'
import { sendDownload } from './download.ts'
import { receiveUpload } from './upload.ts'
import type { ServerMessage } from '../../shared/api/wire.ts'
import type { Reply } from '../../shared/api/reply.ts'
import type { CoreService } from '../../core/service/create-core-service.ts'
import { setSecurityHeaders } from './security-headers.ts'
import { createToken, presentedToken, tokenCookie, tokenCookieName, tokensMatch } from './token.ts'

export interface WebHostOptions {
  core: CoreService
  /** The built renderer (`out/renderer`). */
  staticDir: string
  /** 0 picks a free port. */
  port?: number
  /** Fixed token for tests; a random one otherwise. */
  token?: string
  /**
   * Where files dropped on the browser page are saved (a browser cannot hand over a path).
   * Uploads are refused when absent.
   */
  uploadDir?: string
}

export interface WebHost {
  /** Open this in a browser: it carries the token once, then the cookie takes over. */
  readonly url: string
  readonly origin: string
  readonly port: number
  readonly token: string
  close(): Promise<void>
}

const host = '127.0.0.1'
const maxBodyBytes = 1 << 20

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const { core, staticDir } = options
  const token = options.token ?? createToken()
  const hasRenderer = existsSync(join(staticDir, 'index.html'))
  const serveStatic = hasRenderer ? sirv(staticDir, { single: true, etag: true, dev: false }) : undefined
  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxBodyBytes })

  const server: Server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://${host}:${port}`
  const allowedOrigins = new Set([origin, `http://localhost:${port}`])
  const cookieName = tokenCookieName(port)

  /**
   * sirv serves only files it listed at start, all under the folder by name; but it follows
   * symlinks, so one leading out of the folder is refused here by where it really points.
   */
  const realStaticDir = hasRenderer ? realpathSync(staticDir) : staticDir
  function insideStaticDir(pathname: string): boolean {
    let decoded: string
    try {
      decoded = decodeURI(pathname)
    } catch {
      return false
    }
    let real: string
    try {
      real = realpathSync(join(staticDir, decoded))
    } catch {
      return true // no such file: sirv answers with the page (single-page app) or 404
    }
    return real === realStaticDir || real.startsWith(realStaticDir + sep)
  }

  /** A page on another host name that resolves to 127.0.0.1 (DNS rebinding) must not reach us. */
  function hostAllowed(req: IncomingMessage): boolean {
    return req.headers.host === `${host}:${port}` || req.headers.host === `localhost:${port}`
  }

  function authorized(req: IncomingMessage, url: URL): boolean {
    return tokensMatch(token, presentedToken(req, url, cookieName))
  }

  /** Browsers send Origin on cross-site requests; a foreign page must not drive the API. */
  function originAllowed(req: IncomingMessage): boolean {
    const from = req.headers.origin
    return from === undefined || allowedOrigins.has(from)
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    setSecurityHeaders(res)
    if (!hostAllowed(req)) return sendText(res, 403, 'Faultline: unknown host name.\n')
    if (!authorized(req, url)) return sendText(res, 401, 'Faultline: this address needs the token printed at start-up.\n')

    if (url.pathname === uploadPath) {
      if (!originAllowed(req)) return sendText(res, 403, 'Faultline: cross-origin request refused.\n')
      if (req.method !== 'POST') return sendText(res, 405, 'Faultline: use POST to upload.\n')
      if (!options.uploadDir) return sendText(res, 404, 'Faultline: uploads are off.\n')
      return void receiveUpload(req, options.uploadDir, url.searchParams.get('name') ?? 'upload.log').then(
        (path) => sendJson(res, 200, { path }),
        (error: unknown) => sendJson(res, 500, { error: error instanceof Error ? error.message : String(error) })
      )
    }

    if (url.pathname.startsWith(`${downloadPath}/`)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'Faultline: use GET to download.\n')
      const file = core.downloads.get(decodeURIComponent(url.pathname.slice(downloadPath.length + 1)))
      if (!file) return sendText(res, 404, 'Faultline: that download has expired; export again.\n')
      return sendDownload(res, file, req.method === 'HEAD')
    }

    if (url.pathname.startsWith(apiHttpPrefix)) {
      if (!originAllowed(req)) return sendText(res, 403, 'Faultline: cross-origin request refused.\n')
      if (req.method !== 'POST') return sendText(res, 405, 'Faultline: use POST for API requests.\n')
      return void handleHttpRequest(req, res, url.pathname.slice(apiHttpPrefix.length))
    }

    // The first visit carries the token in the address: move it into the cookie and drop it
    // from the address bar, so it is not left in history or copied along with the link.
    if (url.searchParams.has('token')) {
      url.searchParams.delete('token')
      res.setHeader('Set-Cookie', tokenCookie(cookieName, token))
      res.statusCode = 302
      res.setHeader('Location', url.pathname + url.search)
      return void res.end()
    }

    if (!serveStatic) return sendText(res, 503, 'Faultline: the renderer is not built yet. Run `npm run build`.\n')
    if (!insideStaticDir(url.pathname)) return sendText(res, 404, 'Not found\n')
    serveStatic(req, res, () => sendText(res, 404, 'Not found\n'))
  })

  async function handleHttpRequest(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    let params: unknown
    try {
      const body = await readBody(req)
      params = body.length === 0 ? {} : JSON.parse(body)
    } catch (error) {
      const reply: Reply = { ok: false, error: { code: 'invalid_params', message: `Body is not JSON: ${String(error)}` } }
      return sendJson(res, 400, reply)
    }
    const reply = await core.router.dispatch(decodeURIComponent(method), params)
    sendJson(res, reply.ok ? 200 : statusFor(reply.error.code), reply)
  }

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', origin)
    const refuse = (status: string): void => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (!hostAllowed(req)) return refuse('403 Forbidden')
    if (url.pathname !== apiSocketPath) return refuse('404 Not Found')
    if (!authorized(req, url)) return refuse('401 Unauthorized')
    if (!originAllowed(req)) return refuse('403 Forbidden')
    sockets.handleUpgrade(req, socket, head, (ws) => serveSocket(ws))
  })

  function serveSocket(ws: WebSocket): void {
    const send = (message: ServerMessage): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message))
    }
    const unsubscribe = core.events.subscribe((event, payload) => send({ type: 'event', event, payload }))
    ws.on('close', unsubscribe)
    ws.on('message', async (data) => {
      let message
      try {
        message = clientMessageSchema.parse(JSON.parse(String(data)))
      } catch {
        core.log.warn('web-host', 'closed a socket that sent a malformed message')
        return ws.close(1003, 'malformed message')
      }
      const reply = await core.router.dispatch(message.method, message.params)
      send({ type: 'reply', id: message.id, reply })
    })
  }

  core.log.info('web-host', `serving on ${origin}`)

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  }
}

function statusFor(code: string): number {
  switch (code) {
    case 'unknown_method':
    case 'not_found':
      return 404
    case 'invalid_params':
      return 400
    case 'conflict':
      return 409
    case 'not_text':
      return 415
    default:
      return 500
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > maxBodyBytes) {
        reject(new Error('request body over 1 MiB'))
        req.destroy()
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'text/plain; charset=utf-8')
  res.end(text)
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.end(JSON.stringify(body))
}
