/**
 * The viewer's speed as a user feels it, in Chromium through the web host:
 *   npm run bench:ui [-- --lines 1000000 --scroll-lines 10000000]
 * Prints the time from choosing a file to its first lines on screen, the time to jump to line
 * 900,000 (Ctrl+G) and to the next anomaly (F8), and the renderer's JS heap after scrolling
 * through a large case.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { once } from 'node:events'
import { parseArgs } from 'node:util'
import { chromium } from '@playwright/test'
import type { Page } from '@playwright/test'
import { startHost } from '../e2e/web-host-fixture.ts'
import { generateSample } from '../src/core/sample/sample-incident.ts'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' }, 'scroll-lines': { type: 'string', default: '10000000' } } })
const lines = Number(values.lines)
const scrollLines = Number(values['scroll-lines'])
const work = mkdtempSync(join(tmpdir(), 'faultline-bench-ui-'))

async function writeLog(path: string, count: number, fault = true): Promise<void> {
  const out = createWriteStream(path)
  let chunk: string[] = []
  for (const line of generateSample({ lines: count, seed: fault ? 2 : 1, fault: fault ? { startAt: 0.08, length: 0.9 } : null })) {
    chunk.push(line.text)
    if (chunk.length === 10_000) {
      if (!out.write(chunk.join('\n') + '\n')) await once(out, 'drain')
      chunk = []
    }
  }
  out.end(chunk.length ? chunk.join('\n') + '\n' : '')
  await once(out, 'finish')
}

async function openLog(page: Page, path: string, baseline = ''): Promise<number> {
  await page.getByTestId('open-path').fill(path)
  await page.getByTestId('open-baseline').fill(baseline)
  const started = performance.now()
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  try {
    await page.locator('.log-viewer .view-lines').filter({ hasText: '2026-11-24T14:00:00.000Z' }).waitFor({ timeout: 60_000 })
  } catch (error) {
    await page.screenshot({ path: join(tmpdir(), 'faultline-bench-ui-failure.png') })
    throw error
  }
  return performance.now() - started
}

async function waitForIngest(page: Page): Promise<void> {
  await page.getByTestId('anomaly-count').waitFor({ timeout: 30 * 60_000 })
}

const activeLine = (page: Page) => page.locator('.log-viewer .line-numbers.active-line-number')

async function timed(action: () => Promise<void>, done: () => Promise<void>): Promise<number> {
  const started = performance.now()
  await action()
  await done()
  return performance.now() - started
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic']
})
const { host } = await startHost(join(work, 'data'))
try {
  const small = join(work, `${lines}.log`)
  await writeLog(small, lines)
  const baseline = join(work, 'baseline.log')
  await writeLog(baseline, 100_000, false)
  const first = await browser.newPage({ viewport: { width: 1400, height: 860 } })
  await first.goto(host.url)
  const firstLines = await openLog(first, small)
  console.log(`open a ${lines.toLocaleString('en-US')}-line file: first lines visible after ${firstLines.toFixed(0)} ms`)
  // Closing the case stops its background work (the self-trained scoring), which would
  // otherwise compete with what is measured next.
  await first.getByTestId('close-case').click()
  await first.close()

  // Navigation, on the same file scored against a known-good baseline (so there are anomalies).
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 } })
  await page.goto(host.url)
  const withModel = await openLog(page, small, baseline)
  console.log(`  (with a 100,000-line baseline to train on first: ${withModel.toFixed(0)} ms)`)
  await waitForIngest(page)

  await page.locator('.log-viewer .monaco-editor').click()
  // Several jumps and F8 presses, far apart, so one slow frame does not decide the figure.
  const jumps: number[] = []
  const f8s: number[] = []
  for (const share of [0.9, 0.1, 0.5, 0.75, 0.3]) {
    const target = Math.floor(lines * share)
    await page.keyboard.press('Control+g')
    await page.keyboard.type(String(target))
    jumps.push(
      await timed(
        () => page.keyboard.press('Enter'),
        () => activeLine(page).filter({ hasText: new RegExp(`^${target}$`) }).waitFor()
      )
    )
    const before = await activeLine(page).innerText()
    f8s.push(
      await timed(
        () => page.keyboard.press('F8'),
        () => activeLine(page).filter({ hasNotText: new RegExp(`^${before}$`) }).waitFor()
      )
    )
  }
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number
  console.log(`jump to a far line (Ctrl+G, from Enter), 5 jumps: median ${median(jumps).toFixed(0)} ms, max ${Math.max(...jumps).toFixed(0)} ms`)
  console.log(`F8 to the next anomaly, 5 presses: median ${median(f8s).toFixed(0)} ms, max ${Math.max(...f8s).toFixed(0)} ms`)
  await page.close()

  const big = join(work, `${scrollLines}.log`)
  await writeLog(big, scrollLines)
  const bigPage = await browser.newPage({ viewport: { width: 1400, height: 860 } })
  await bigPage.goto(host.url)
  await openLog(bigPage, big)
  await waitForIngest(bigPage)
  const cdp = await bigPage.context().newCDPSession(bigPage)
  const heap = async (): Promise<number> => {
    await cdp.send('HeapProfiler.collectGarbage')
    const { usedSize } = await cdp.send('Runtime.getHeapUsage')
    return usedSize / 2 ** 20
  }
  const startHeap = await heap()
  // Scroll through the whole case: drag the thumb down in steps, wheel a little at each stop.
  const track = await bigPage.getByTestId('scroll-track').boundingBox()
  if (!track) throw new Error('no scroll track')
  await bigPage.locator('.log-viewer .monaco-editor').hover()
  for (let step = 0; step <= 50; step++) {
    await bigPage.getByTestId('scroll-track').click({ position: { x: track.width / 2, y: (track.height * step) / 50 } })
    await bigPage.mouse.wheel(0, 2_000)
    await bigPage.waitForTimeout(60)
  }
  console.log(`renderer JS heap on a ${scrollLines.toLocaleString('en-US')}-line case: ${startHeap.toFixed(0)} MB before, ${(await heap()).toFixed(0)} MB after scrolling through it`)
} finally {
  await browser.close()
  await host.stop()
  rmSync(work, { recursive: true, force: true })
}
