/**
 * Following a growing log, in Chromium through the web host: a writer appends ordinary lines and
 * then a burst of a failure never seen before; the alert panel shows the burst as one grouped
 * alert, and clicking it shows the line.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from './web-host-fixture.ts'

const start = Date.parse('2026-11-25T10:00:00Z')
let second = 0
function normal(n: number): string {
  const lines: string[] = []
  for (let i = 0; i < n; i++) {
    const ts = new Date(start + second++ * 250).toISOString()
    lines.push(i % 3 === 0 ? `${ts} INFO [cart] Added item ${1000 + (i % 97)} to cart of user ${i % 41}` : `${ts} INFO [web] GET /api/products/${i % 113} 200 in ${5 + (i % 17)} ms`)
  }
  return lines.join('\n') + '\n'
}

test('follows a growing log and groups a new failure into one alert', async ({ page, host }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-live-'))
  const baseline = join(dir, 'baseline.log')
  const live = join(dir, 'live.log')
  writeFileSync(baseline, normal(3_000))
  writeFileSync(live, normal(2_000))

  await page.goto(host.url)
  await page.getByTestId('open-path').fill(live)
  await page.getByTestId('open-baseline').fill(baseline)
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  await expect(page.getByTestId('anomaly-count')).toHaveText(/anomalies/, { timeout: 60_000 })
  await page.getByTestId('toggle-follow').click()
  await expect(page.getByTestId('toggle-follow')).toHaveText(/Stop following/)

  appendFileSync(live, normal(200))
  await expect(page.getByTestId('status-lines')).toHaveText('2,200 lines')
  // The burst: a failure the baseline never had, twenty times within a few seconds.
  const burst: string[] = []
  for (let i = 0; i < 20; i++) burst.push(`${new Date(start + second++ * 250).toISOString()} ERROR [payments] Connection pool exhausted: 0 of 20 connections free`)
  appendFileSync(live, burst.join('\n') + '\n')
  const firstBurstLine = 2_201

  await expect(page.getByTestId('alerts-unread')).toHaveText('20')
  await page.getByTestId('tab-alerts').click()
  const groups = page.getByTestId('alert-group')
  await expect(groups).toHaveCount(1)
  await expect(groups.first().getByTestId('alert-count')).toHaveText('×20')
  await expect(groups.first()).toContainText('connections free')
  await testInfo.attach('alerts', { body: await page.screenshot(), contentType: 'image/png' })

  // The viewer follows the end; clicking the alert shows its first line instead.
  await expect(page.getByTestId('status-lines')).toHaveText('2,220 lines')
  await groups.first().click()
  await expect(page.locator('.log-viewer .line-numbers.active-line-number')).toHaveText(String(firstBurstLine))
  await expect(page.locator('.log-viewer .view-lines')).toContainText('Connection pool exhausted')

  // Looking back, the view keeps its place and says how many lines arrived; a click follows again.
  appendFileSync(live, normal(30))
  await expect(page.getByTestId('new-lines')).toHaveText('30 new lines ↓')
  await expect(page.locator('.log-viewer .line-numbers.active-line-number')).toHaveText(String(firstBurstLine))
  await page.getByTestId('new-lines').click()
  await expect(page.locator('.log-viewer .view-lines')).toContainText(`${new Date(start + (second - 1) * 250).toISOString()}`)
  await page.getByTestId('toggle-follow').click()
  await expect(page.getByTestId('toggle-follow')).toHaveText('Follow file')
})
