import { request } from 'node:http'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainModel } from '../../core/model/train.ts'
import type { Model } from '../../core/model/model.ts'
import { generateSample } from '../../core/sample/sample-incident.ts'
import { RawLineScorer, resolveModelFormat } from '../../core/score-service/index.ts'
import { startScoreServer } from './score-server.ts'
import type { ScoreServer } from './score-server.ts'

let dir: string
let model: Model
let server: ScoreServer
let normalLine: string
const novelLine = '2026-11-24T14:00:05.123Z ERROR [payments] c.s.payments.Ledger: reactor core meltdown in sector 7'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-serve-'))
  const lines = [...generateSample({ seed: 5, lines: 3_000, fault: null })].map((l) => l.text)
  normalLine = lines.find((l) => l.includes(' INFO ')) as string
  writeFileSync(join(dir, 'baseline.log'), lines.join('\n') + '\n')
  model = await trainModel([join(dir, 'baseline.log')])
  const scorer = new RawLineScorer(model, await resolveModelFormat(model))
  server = await startScoreServer({ model, scorer, modelPath: null, port: 0, maxBodyBytes: 64 << 10, maxBatchLines: 100 })
})
afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  json: Record<string, unknown>
}

/** A real request over the socket (node:http, so headers such as Origin and Host are ours to set). */
function call(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.origin}${path}`, { method, headers: { 'content-type': 'application/json', ...headers } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, json: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> }))
    })
    // The server may answer (413) and close before the whole body is sent.
    req.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)))
    if (body !== undefined) req.write(body)
    req.end()
  })
}

describe('scoring service', () => {
  it('scores one line in the classic shape: positive anomaly_score for a normal line', async () => {
    const reply = await call('POST', '/score-log', JSON.stringify({ log_message: normalLine }))
    expect(reply.status).toBe(200)
    expect(reply.json).toMatchObject({ is_anomaly: false, known_template: true })
    expect(reply.json.anomaly_score).toBeGreaterThan(0)
    expect(typeof reply.json.template).toBe('string')
    expect(Array.isArray(reply.json.reasons)).toBe(true)
  })

  it('flags a never-seen template with a negative anomaly_score and says why', async () => {
    const reply = await call('POST', '/score-log', JSON.stringify({ log_message: novelLine }))
    expect(reply.status).toBe(200)
    expect(reply.json.is_anomaly).toBe(true)
    expect(reply.json.anomaly_score).toBeLessThan(0)
    expect(String((reply.json.reasons as string[])[0])).toMatch(/never seen/)
  })

  it('scores a batch in order', async () => {
    const reply = await call('POST', '/score-logs', JSON.stringify({ log_messages: [normalLine, novelLine, normalLine] }))
    expect(reply.status).toBe(200)
    const results = reply.json.results as { is_anomaly: boolean }[]
    expect(results.map((r) => r.is_anomaly)).toEqual([false, true, false])
  })

  it('reports health and the model', async () => {
    expect((await call('GET', '/health')).json).toMatchObject({ status: 'ok', templates: model.templates.size })
    const info = (await call('GET', '/model')).json
    expect(info).toMatchObject({ mode: 'baseline', created: model.createdAt, templates: model.templates.size, thresholds: { line: 0.5, session: 0.5 } })
    expect((info.sources as { path: string }[])[0]?.path).toBe(join(dir, 'baseline.log'))
  })

  it.each([
    ['bad JSON', '{"log_message": ', 400, 'bad_json'],
    ['an empty body', '', 400, 'empty_body'],
    ['a missing field', '{"message": "x"}', 422, 'missing_field'],
    ['a field of the wrong type', '{"log_message": 42}', 422, 'wrong_type'],
    ['a body that is not an object', '["x"]', 422, 'wrong_type']
  ])('refuses %s with a clear JSON message', async (_what, body, status, code) => {
    const reply = await call('POST', '/score-log', body)
    expect(reply.status).toBe(status)
    expect(reply.json.error).toBe(code)
    expect(String(reply.json.detail)).toMatch(/log_message|JSON|empty/)
  })

  it('refuses a batch with a non-string line, naming its index', async () => {
    const reply = await call('POST', '/score-logs', JSON.stringify({ log_messages: ['a', null] }))
    expect(reply.status).toBe(422)
    expect(reply.json.detail).toContain('[1]')
  })

  it('refuses oversized bodies and batches with 413', async () => {
    const big = JSON.stringify({ log_message: 'x'.repeat(100 << 10) })
    const reply = await call('POST', '/score-log', big)
    expect(reply.status).toBe(413)
    expect(reply.json.detail).toMatch(/64 KiB/)
    const streamed = await call('POST', '/score-log', big, { 'transfer-encoding': 'chunked' })
    expect(streamed.status).toBe(413)
    const many = await call('POST', '/score-logs', JSON.stringify({ log_messages: Array.from({ length: 101 }, () => 'x') }))
    expect(many.status).toBe(413)
    expect(many.json.error).toBe('too_many_lines')
  })

  it('answers 404 for unknown paths and 405 with Allow for wrong methods', async () => {
    expect((await call('GET', '/nope')).status).toBe(404)
    const wrong = await call('GET', '/score-log')
    expect(wrong.status).toBe(405)
    expect(wrong.headers.allow).toBe('POST')
  })

  it('refuses requests a web page could make: an Origin header, or a foreign Host', async () => {
    expect((await call('POST', '/score-log', JSON.stringify({ log_message: 'x' }), { origin: 'https://evil.example' })).status).toBe(403)
    expect((await call('GET', '/health', undefined, { host: 'evil.example' })).status).toBe(403)
  })

  it('on close, finishes a request in flight and refuses new connections', async () => {
    const scorer = new RawLineScorer(model, await resolveModelFormat(model))
    const own = await startScoreServer({ model, scorer, modelPath: null, port: 0 })
    const reply = new Promise<number>((resolve, reject) => {
      const req = request(`${own.origin}/score-log`, { method: 'POST' }, (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      })
      req.on('error', reject)
      req.write('{"log_message": ')
      // The body's second half arrives after shutdown has begun.
      setTimeout(() => req.end(JSON.stringify(normalLine) + '}'), 50)
    })
    await new Promise((resolve) => setTimeout(resolve, 20))
    const closed = own.close()
    expect(await reply).toBe(200)
    await closed
    await expect(fetch(`${own.origin}/health`)).rejects.toThrow()
  })

  it('binds the loopback address only', () => {
    expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })
})
