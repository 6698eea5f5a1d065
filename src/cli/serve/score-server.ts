/**
 * The scoring service: a small JSON API over HTTP for pipelines (log shippers, alert rules) that
 * want a verdict per line without opening a case.
 *
 *   POST /score-log   {"log_message": "..."}          → {is_anomaly, anomaly_score, score, template, known_template, reasons}
 *   POST /score-logs  {"log_messages": ["...", ...]}  → {results: [...]} in the same order
 *   GET  /health                                      → {status: "ok", ...}
 *   GET  /model                                       → what the model was trained on, its thresholds
 *
 * Security stance: unlike the web host it carries no token, because it holds nothing to
 * protect: it only reads a model and never learns from, stores or echoes beyond the answer what
 * it is sent. It binds 127.0.0.1 only (put a reverse proxy in front to share it), caps bodies
 * and batch sizes, sends no CORS headers, and refuses any request a browser page could make:
 * one carrying an Origin header, or a Host other than the loopback address (DNS rebinding).
 * Errors are JSON `{"error": code, "detail": sentence}` with a 4xx status.
 */
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Model } from '../../core/model/model.ts'
import { toClassic } from '../../core/score-service/index.ts'
import type { RawLineScorer } from '../../core/score-service/index.ts'
import { BodyTooLargeError, formatBytes, readBody } from './read-body.ts'
import { manyLines, parseJson, RequestError, singleLine } from './score-requests.ts'

export interface ScoreServerOptions {
  model: Model
  scorer: RawLineScorer
  /** Where the model came from, for `/model`. */
  modelPath: string | null
  /** 0 picks a free port. */
  port?: number
  maxBodyBytes?: number
  maxBatchLines?: number
}

export interface ScoreServer {
  readonly origin: string
  readonly port: number
  /** Stops accepting, lets requests in flight finish (up to `graceMs`), then closes. */
  close(graceMs?: number): Promise<void>
}

const host = '127.0.0.1'
export const defaultMaxBodyBytes = 4 << 20
export const defaultMaxBatchLines = 10_000

type Route = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>

export async function startScoreServer(options: ScoreServerOptions): Promise<ScoreServer> {
  const { model, scorer } = options
  const maxBody = options.maxBodyBytes ?? defaultMaxBodyBytes
  const maxBatch = options.maxBatchLines ?? defaultMaxBatchLines
  const startedAt = Date.now()
  let scored = 0
  let closing = false

  const sendJson = (res: ServerResponse, status: number, body: unknown): void => {
    const text = JSON.stringify(body)
    // Once shutting down, a keep-alive connection ends with the answer it was waiting for.
    if (closing) res.setHeader('Connection', 'close')
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), 'X-Content-Type-Options': 'nosniff' })
    res.end(text)
  }
  const sendError = (res: ServerResponse, status: number, code: string, detail: string): void => sendJson(res, status, { error: code, detail })

  const body = async (req: IncomingMessage): Promise<unknown> => {
    try {
      return parseJson(await readBody(req, maxBody))
    } catch (error) {
      if (error instanceof BodyTooLargeError) throw new RequestError(413, 'body_too_large', `${error.message} (${formatBytes(maxBody)}); send fewer lines per request`)
      throw error
    }
  }

  const routes: Record<string, Partial<Record<string, Route>>> = {
    '/score-log': {
      POST: async (req, res) => {
        const line = singleLine(await body(req))
        scored++
        sendJson(res, 200, toClassic(scorer.score(line)))
      }
    },
    '/score-logs': {
      POST: async (req, res) => {
        const lines = manyLines(await body(req), maxBatch)
        scored += lines.length
        sendJson(res, 200, { results: lines.map((line) => toClassic(scorer.score(line))) })
      }
    },
    '/health': {
      GET: (_req, res) =>
        sendJson(res, 200, { status: 'ok', uptime_s: Math.round((Date.now() - startedAt) / 1000), lines_scored: scored, templates: model.templates.size })
    },
    '/model': {
      GET: (_req, res) =>
        sendJson(res, 200, {
          path: options.modelPath,
          created: model.createdAt,
          mode: model.mode,
          format: scorer.format,
          sources: model.sources.map((s) => ({ path: s.path, lines: s.lines, sha256: s.sha256 })),
          total_lines: model.totalLines,
          templates: model.templates.size,
          thresholds: { line: model.settings.lineThreshold, session: model.settings.sessionThreshold },
          calibration: { line_false_alarm_rate: model.calibration.lineFalseAlarmRate },
          limits: { max_body_bytes: maxBody, max_batch_lines: maxBatch },
          novel_shapes_remembered: scorer.novelShapes
        })
    }
  }

  const server: Server = createServer({ keepAliveTimeout: 30_000 })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, host, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const origin = `http://${host}:${port}`
  const allowedHosts = new Set([`${host}:${port}`, `localhost:${port}`])

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    void handle(req, res).catch((error: unknown) => {
      if (error instanceof RequestError) {
        // A refused body may still be arriving: do not keep the connection for it.
        if (error.status === 413) res.setHeader('Connection', 'close')
        return sendError(res, error.status, error.code, error.message)
      }
      sendError(res, 500, 'internal', error instanceof Error ? error.message : String(error))
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.headers.origin !== undefined) throw new RequestError(403, 'browser_refused', 'requests from web pages are refused; call the service from a program')
    if (!allowedHosts.has(req.headers.host ?? '')) throw new RequestError(403, 'host_refused', `Host must be ${host}:${port}`)
    const path = new URL(req.url ?? '/', origin).pathname
    const methods = routes[path]
    if (!methods) throw new RequestError(404, 'not_found', `no such endpoint ${path}; try POST /score-log, POST /score-logs, GET /health, GET /model`)
    const route = methods[req.method ?? '']
    if (!route) {
      res.setHeader('Allow', Object.keys(methods).join(', '))
      throw new RequestError(405, 'method_not_allowed', `${path} takes ${Object.keys(methods).join(' or ')}, not ${req.method ?? '?'}`)
    }
    await route(req, res)
  }

  return {
    origin,
    port,
    async close(graceMs = 5_000) {
      closing = true
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const timer = setTimeout(() => server.closeAllConnections(), graceMs)
      await closed
      clearTimeout(timer)
    }
  }
}

