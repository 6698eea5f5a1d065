/**
 * The renderer half of `bench:tail`: append → alert visible in Chromium, through the web host.
 * The app opens a log (the reference as its baseline), follows it, and shows the Alerts tab; the
 * writer process then appends as in the CLI half. A MutationObserver in the page stamps every
 * change of an alert row (its count and latest line); afterwards each stamp is matched with the
 * write time carried by that line in the case. A row that counts up by k at once stands for k
 * alerts, all given that update's latency (the burst's lines are written together).
 */
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { startHost } from '../e2e/web-host-fixture.ts'
import { CaseStore } from '../src/core/case/case-store.ts'
import { readStamp } from './bench-tail-lines.ts'

export interface RendererTailResult {
  /** Latency of each alert, ms. */
  latencies: number[]
  written: number
  bursts: number
  caseLines: number
  lost: number
  duplicated: number
}

const chromiumPath = '/usr/bin/chromium'

/** Stamps every count change of an alert row with the time and the row's latest line. */
const pageObserver = `(() => {
  const seen = []
  const counts = new Map()
  const stamp = () => {
    const at = performance.timeOrigin + performance.now()
    for (const row of document.querySelectorAll('[data-testid="alert-group"]')) {
      const count = Number(row.getAttribute('data-count'))
      const before = counts.get(row) ?? 0
      if (count > before) seen.push({ at, line: Number(row.getAttribute('data-last-line')), delta: count - before })
      counts.set(row, count)
    }
  }
  new MutationObserver(stamp).observe(document.querySelector('[data-testid="alerts-panel"]'), { subtree: true, childList: true, attributes: true })
  globalThis.faultlineSeen = seen
})()`

export async function measureRendererTail(options: { dir: string; root: string; log: string; reference: string; rate: number; seconds: number }): Promise<RendererTailResult> {
  const { host } = await startHost(join(options.dir, 'host-data'))
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
    await page.goto(host.url)
    await page.getByTestId('open-path').fill(options.log)
    await page.getByTestId('open-baseline').fill(options.reference)
    await page.getByRole('button', { name: 'Open', exact: true }).click()
    await page.getByTestId('anomaly-count').waitFor({ timeout: 120_000 })
    await page.getByTestId('toggle-follow').click()
    await page.getByTestId('toggle-follow').filter({ hasText: 'Stop following' }).waitFor()
    await page.getByTestId('tab-alerts').click()
    // Page-side code as text: the scripts' TypeScript project has no DOM types (on purpose).
    await page.evaluate(pageObserver)

    const writer = spawn(process.execPath, [join(options.root, 'scripts/bench-tail-writer.ts'), options.log, String(options.rate), String(options.seconds)], { stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    writer.stdout.on('data', (d: Buffer) => (out += d.toString()))
    await new Promise<void>((resolve, reject) => writer.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`writer exited with ${code}`)))))
    const written = JSON.parse(out) as { written: number; bursts: number }
    const total = (): Promise<number> => page.evaluate('globalThis.faultlineSeen.reduce((n, s) => n + s.delta, 0)')
    const deadline = Date.now() + 15_000
    while ((await total()) < written.bursts && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    const seen: { at: number; line: number; delta: number }[] = await page.evaluate('globalThis.faultlineSeen')
    await page.getByTestId('toggle-follow').click()
    await page.getByTestId('toggle-follow').filter({ hasText: 'Follow file' }).waitFor()

    // Every line in the case exactly once; each stamped alert line's write time.
    const cases = join(options.dir, 'host-data', 'cases')
    const caseFile = readdirSync(cases).find((name) => name.endsWith('.faultline'))
    if (!caseFile) throw new Error(`no case file in ${cases}`)
    const store = CaseStore.open(join(cases, caseFile))
    try {
      const lines = store.source(1)?.lines ?? 0
      const counts = new Uint8Array(written.written + 1)
      for (let from = 1; from <= lines; from += 10_000) {
        for (const line of store.lines(1, from, 10_000)) {
          const s = readStamp(line.text)
          if (s && s.seq <= written.written) counts[s.seq] = Math.min(255, (counts[s.seq] as number) + 1)
        }
      }
      let lost = 0
      let duplicated = 0
      for (let s = 1; s <= written.written; s++) {
        if (counts[s] === 0) lost++
        else if ((counts[s] as number) > 1) duplicated += (counts[s] as number) - 1
      }
      const latencies: number[] = []
      for (const { at, line, delta } of seen) {
        const text = store.lines(1, line, 1)[0]?.text
        const s = text ? readStamp(text) : null
        if (s) for (let k = 0; k < delta; k++) latencies.push(at - s.writtenAt)
      }
      return { latencies, written: written.written, bursts: written.bursts, caseLines: lines, lost, duplicated }
    } finally {
      store.close()
    }
  } finally {
    await browser.close()
    await host.stop()
  }
}
