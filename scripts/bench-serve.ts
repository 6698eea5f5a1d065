/**
 * Scoring service benchmark: p99 latency of `POST /score-log` under a steady open-loop load,
 * then `/score-logs` batch throughput.
 *   node scripts/bench-serve.ts [--rate 1000] [--seconds 10] [--batch 1000] [--batches 50]
 * Trains a model on a generated baseline, starts `faultline serve` in a child process, and
 * drives it from here over keep-alive connections with lines of a generated incident (its
 * payments outage included, so novel templates are in the mix). Requests go out on a fixed
 * schedule whatever the server does (open loop), and latency is measured from the scheduled
 * send time, so a stall shows up in every request it delays (no coordinated omission).
 * The server's CPU time (from /proc) is reported per request too: on a shared machine it is
 * the steadier figure.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { saveModel } from '../src/core/model/model-file.ts'
import { trainModel } from '../src/core/model/train.ts'
import { generateSample } from '../src/core/sample/sample-incident.ts'
import { RawLineScorer, resolveModelFormat } from '../src/core/score-service/index.ts'

const { values } = parseArgs({
  options: {
    rate: { type: 'string', default: '1000' },
    seconds: { type: 'string', default: '10' },
    batch: { type: 'string', default: '1000' },
    batches: { type: 'string', default: '50' },
    'baseline-lines': { type: 'string', default: '200000' }
  }
})
const rate = Number(values.rate)
const seconds = Number(values.seconds)
const batchSize = Number(values.batch)
const batches = Number(values.batches)
const bin = new URL('../bin/faultline.mjs', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-serve-'))
const agent = new Agent({ keepAlive: true, maxSockets: 64 })

function post(origin: string, path: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** utime + stime of a process, in ms (Linux). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100
}

const quantile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN

try {
  const baselineText = [...generateSample({ seed: 1, lines: Number(values['baseline-lines']), fault: null })].map((l) => l.text)
  writeFileSync(join(dir, 'baseline.log'), baselineText.join('\n') + '\n')
  const incident = [...generateSample({ seed: 2, lines: rate * seconds + 20_000, fault: { startAt: 0.5, length: 0.1 } })].map((l) => l.text)
  const model = await trainModel([join(dir, 'baseline.log')])
  await saveModel(model, join(dir, 'model.json'))
  console.log(`model: ${model.templates.size} templates from ${model.totalLines.toLocaleString('en-US')} baseline lines`)

  // The scorer alone, in this process: what a request costs before HTTP and JSON.
  const scorer = new RawLineScorer(model, await resolveModelFormat(model))
  for (const line of incident.slice(0, 20_000)) scorer.score(line)
  const cpuStart = process.cpuUsage()
  for (const line of incident) scorer.score(line)
  const cpu = process.cpuUsage(cpuStart)
  console.log(`scorer alone: ${((cpu.user + cpu.system) / incident.length).toFixed(1)} µs CPU per line over ${incident.length.toLocaleString('en-US')} incident lines`)

  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--model', join(dir, 'model.json')], { stdio: ['ignore', 'pipe', 'inherit'] })
  const pid = child.pid as number
  const origin = await new Promise<string>((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const found = /listening on (http:\/\/\S+)/.exec(out)
      if (found) resolve(found[1] as string)
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}`)))
  })

  try {
    const body = (i: number): string => JSON.stringify({ log_message: incident[i % incident.length] })
    for (let i = 0; i < 2_000; i++) await post(origin, '/score-log', body(i)) // warm-up, one at a time

    // Open loop: request i is due at start + i / rate, sent by the first tick at or after then.
    const total = rate * seconds
    const latencies: number[] = []
    const fromSend: number[] = []
    let errors = 0
    let sent = 0
    const cpuBefore = cpuMs(pid)
    const start = performance.now()
    await new Promise<void>((done) => {
      let finished = 0
      const tick = (): void => {
        const now = performance.now()
        while (sent < total && start + (sent * 1000) / rate <= now) {
          const scheduled = start + (sent * 1000) / rate
          const sentAt = performance.now()
          post(origin, '/score-log', body(20_000 + sent)).then(
            (status) => {
              const end = performance.now()
              if (status === 200) {
                latencies.push(end - scheduled)
                fromSend.push(end - sentAt)
              } else errors++
            },
            () => errors++
          ).finally(() => {
            if (++finished === total) done()
          })
          sent++
        }
        if (sent < total) setTimeout(tick, 1)
      }
      tick()
    })
    const wallMs = performance.now() - start
    const serverCpu = cpuMs(pid) - cpuBefore
    latencies.sort((a, b) => a - b)
    fromSend.sort((a, b) => a - b)
    const ms = (v: number): string => `${v.toFixed(2)} ms`
    console.log(`\nPOST /score-log, open loop at ${rate}/s for ${seconds} s (${total.toLocaleString('en-US')} requests, keep-alive, ${agent.maxSockets} sockets max)`)
    console.log(`  achieved ${((latencies.length / wallMs) * 1000).toFixed(0)} req/s, errors ${errors}`)
    console.log(`  latency from scheduled send: p50 ${ms(quantile(latencies, 0.5))}, p95 ${ms(quantile(latencies, 0.95))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(latencies.at(-1) ?? NaN)}`)
    console.log(`  latency from actual send:    p50 ${ms(quantile(fromSend, 0.5))}, p95 ${ms(quantile(fromSend, 0.95))}, p99 ${ms(quantile(fromSend, 0.99))}, max ${ms(fromSend.at(-1) ?? NaN)}`)
    console.log(`  server CPU ${(serverCpu / total * 1000).toFixed(0)} µs per request (${((serverCpu / wallMs) * 100).toFixed(0)}% of one core)`)

    let lines = 0
    const batchCpuBefore = cpuMs(pid)
    const batchStart = performance.now()
    for (let b = 0; b < batches; b++) {
      const slice = Array.from({ length: batchSize }, (_, i) => incident[(b * batchSize + i) % incident.length] as string)
      const status = await post(origin, '/score-logs', JSON.stringify({ log_messages: slice }))
      if (status !== 200) throw new Error(`batch answered ${status}`)
      lines += batchSize
    }
    const batchMs = performance.now() - batchStart
    const batchCpu = cpuMs(pid) - batchCpuBefore
    console.log(`\nPOST /score-logs, ${batches} batches of ${batchSize} lines, one after another`)
    console.log(`  ${((lines / batchMs) * 1000).toFixed(0)} lines/s wall clock (${(batchMs / batches).toFixed(1)} ms per batch); ${((lines / batchCpu) * 1000).toFixed(0)} lines per server CPU-second`)
  } finally {
    child.kill('SIGTERM')
    agent.destroy()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
