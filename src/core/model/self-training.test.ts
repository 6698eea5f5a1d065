import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { scanFile } from './scan.ts'
import type { LineResult } from './scan.ts'

/**
 * A synthetic log scanned with no baseline. Most of it is one busy day of routine traffic, then
 * a quiet month with a line now and then (so in time, every busy-day template looks "concentrated").
 * Into the busy day go: an outage (ERROR lines in a few minutes), a kernel fault followed by its
 * register dump (FATAL statement, FATAL readouts), and a maintenance job (INFO lines in a few minutes).
 */
const start = Date.parse('2026-03-02T00:00:00.000Z')
const hour = 3_600_000

function line(ts: number, level: string, text: string): string {
  return `${new Date(ts).toISOString()} ${level.padEnd(5)} [app] c.e.App: ${text}`
}

function syntheticLog(): string[] {
  const lines: string[] = []
  let t = start
  for (let i = 0; i < 3_000; i++) {
    t += 20_000 + ((i * 7_919) % 9_000)
    const minute = (t - start) / 60_000
    lines.push(line(t, 'INFO', `Served request ${i} for user u${i % 97} in ${(i * 31) % 200} ms`))
    if (i % 3 === 0) lines.push(line(t + 1, 'WARN', `Slow response from cache node c${i % 5}, retrying`))
    if (i % 4 === 0) lines.push(line(t + 2, 'DEBUG', `Heartbeat ok from worker w${i % 11}`))
    if (minute > 300 && minute < 306) lines.push(line(t + 3, 'ERROR', `Could not acquire database connection for order o${i}`))
    if (minute > 600 && minute < 606) {
      lines.push(line(t + 4, 'FATAL', 'Kernel panic in scheduler'))
      lines.push(line(t + 5, 'FATAL', `instruction address: 0x${(0x4ed8 + (i % 3)).toString(16).padStart(8, '0')}`))
      lines.push(line(t + 6, 'FATAL', `machine state register: 0x${(0x2000 + (i % 2)).toString(16).padStart(8, '0')}`))
    }
    if (minute > 900 && minute < 906) lines.push(line(t + 7, 'INFO', `Compacted index segment ${i} in ${i % 50} ms`))
  }
  // The quiet month after the busy day.
  for (let h = 8; h <= 30 * 24; h += 8) lines.push(line(t + h * hour, 'INFO', `Served request ${9_000 + h} for user u${h % 97} in 12 ms`))
  return lines
}

const results = new Map<string, LineResult[]>()
const linesOf = (needle: string): LineResult[] => [...results].filter(([text]) => text.includes(needle)).flatMap(([, r]) => r)

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-self-'))
  const path = join(dir, 'app.log')
  const text = syntheticLog()
  writeFileSync(path, text.join('\n') + '\n')
  await scanFile(path, null, {
    onBatch: (batch) => {
      for (const result of batch) {
        const source = text[result.line - 1] as string
        const list = results.get(source) ?? []
        list.push(result)
        results.set(source, list)
      }
    }
  })
}, 30_000)

describe('self-trained line scores', () => {
  it('flags a burst of errors and says it is a burst', () => {
    const outage = linesOf('Could not acquire database connection')
    expect(outage.length).toBeGreaterThan(5)
    expect(outage.every((l) => l.anomaly)).toBe(true)
    expect(outage[0]?.reasons.some((r) => r.startsWith('all ') && r.includes('lines of this template fall within'))).toBe(true)
  })

  it('scores a fatal statement in a burst above the register dump that follows it', () => {
    const panic = linesOf('Kernel panic in scheduler')
    expect(panic.every((l) => l.anomaly)).toBe(true)
    const dump = [...linesOf('instruction address:'), ...linesOf('machine state register:')]
    expect(dump.length).toBeGreaterThan(5)
    for (const row of dump) {
      expect(row.score).toBeLessThan(panic[0]?.score ?? 0)
      expect(row.reasons).toContain('logged at FATAL, but it only reads out a value (a row of a dump)')
    }
  })

  it('weighs a burst of routine lines below a burst of errors', () => {
    const job = linesOf('Compacted index segment')
    const outage = linesOf('Could not acquire database connection')
    expect(job.length).toBeGreaterThan(5)
    expect(job[0]?.reasons.some((r) => r.includes('lines of this template fall within'))).toBe(true)
    expect(job[0]?.score).toBeLessThan(outage[0]?.score ?? 0)
  })

  it('does not call routine warnings a burst because the whole log was busy then', () => {
    const warnings = linesOf('Slow response from cache node')
    expect(warnings.length).toBeGreaterThan(500)
    expect(warnings.some((l) => l.anomaly || l.reasons.some((r) => r.includes('fall within')))).toBe(false)
  })
})
