/**
 * The investigation journey in Chromium through the web host: open the bundled sample, watch
 * it ingest, find the injected fault by its gutter markers and F8, and narrow the view.
 */
import { readFileSync } from 'node:fs'
import { activeLine, firstAnomaly } from './journeys.ts'
import { expect, test } from './web-host-fixture.ts'

const labels = JSON.parse(readFileSync(new URL('../resources/sample/incident.labels.json', import.meta.url), 'utf8')) as {
  injectedRanges: [number, number][]
}
const injected = (lineNo: number): boolean => labels.injectedRanges.some(([from, to]) => lineNo >= from && lineNo <= to)

test('opens the sample incident and finds the injected fault', async ({ page, host }, testInfo) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await expect(page.getByTestId('workspace')).toBeVisible()
  // The ingest finishes: the case bar shows the anomaly count instead of the progress bar.
  await expect(page.getByTestId('anomaly-count')).toHaveText(/[1-9][\d,]* anomalies/, { timeout: 60_000 })
  await expect(page.getByTestId('status-lines')).toHaveText('40,000 lines')

  // F8 from the top reaches the first anomaly, which is one of the injected lines.
  const first = await firstAnomaly(page)
  const active = activeLine(page)
  expect(injected(first), `line ${first} should be part of the injected fault`).toBe(true)
  // Gutter markers are drawn, and hovering one tells why the line was flagged.
  const marker = page.locator('.log-viewer .fl-glyph').first()
  await expect(marker).toBeVisible()
  await marker.hover()
  await expect(page.locator('.monaco-hover').filter({ hasText: 'Anomaly score' }).first()).toBeVisible()
  await testInfo.attach('workspace', { body: await page.screenshot(), contentType: 'image/png' })

  // Shift+F8 goes back; F8 again moves forward past the first anomaly.
  await page.keyboard.press('Escape')
  await page.keyboard.press('F8')
  await expect(active).not.toHaveText(String(first))
})

test('narrows the view by template and by time', async ({ page, host }) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await expect(page.getByTestId('anomaly-count')).toHaveText(/anomalies/, { timeout: 60_000 })

  await page.getByTestId('template-row').filter({ hasText: 'Could not acquire DB connection' }).first().click()
  const count = page.getByTestId('filter-count')
  await expect(count).toHaveText(/^[\d,]+ of 40,000 lines$/)
  const matches = Number((await count.innerText()).split(' ')[0]?.replace(/,/g, ''))
  expect(matches).toBeGreaterThan(100)
  await expect(page.locator('.log-viewer .view-lines')).toContainText('Could not acquire DB connection')
  await expect(page.locator('.log-viewer .view-lines')).not.toContainText('Cache hit for product')

  // Parameters can be highlighted: the parts the miner found variable.
  await expect(page.locator('.log-viewer .fl-param')).toHaveCount(0)
  await page.getByTestId('toggle-params').click()
  await expect(page.locator('.log-viewer .fl-param').first()).toBeVisible()

  // Remove the template chip, then brush a time range on the timeline.
  await page.getByTestId('filter-chip').filter({ hasText: 'template' }).getByTestId('filter-chip-remove').click()
  await expect(count).toBeHidden()
  const chart = page.getByTestId('timeline').locator('.u-over')
  const box = await chart.boundingBox()
  if (!box) throw new Error('timeline not drawn')
  await page.mouse.move(box.x + box.width * 0.2, box.y + box.height / 2)
  await page.mouse.down()
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height / 2, { steps: 5 })
  await page.mouse.up()
  await expect(count).toHaveText(/^[\d,]+ of 40,000 lines$/)
  const inRange = Number((await count.innerText()).split(' ')[0]?.replace(/,/g, ''))
  expect(inRange).toBeGreaterThan(0)
  expect(inRange).toBeLessThan(40_000)
})

test('lists the most anomalous sessions and filters the view to one', async ({ page, host }) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await expect(page.getByTestId('anomaly-count')).toHaveText(/anomalies/, { timeout: 60_000 })
  await page.getByTestId('tab-sessions').click()
  const first = page.getByTestId('session-row').first()
  await expect(first).toContainText(/Could not acquire DB connection|session ends without/)
  await first.click()
  await expect(page.getByTestId('filter-count')).toHaveText(/^[\d,]+ of 40,000 lines$/)
})

test('the address npm start prints opens the sample straight away', async ({ page, host }) => {
  await page.goto(`${host.url}&open=sample`)
  await expect(page.getByTestId('workspace')).toBeVisible()
  await expect(page.getByTestId('anomaly-count')).toHaveText(/anomalies/, { timeout: 60_000 })
  // The request is not replayed by a reload.
  expect(page.url()).toBe(`${host.origin}/`)
})

test('searches the text, then by regular expression, while the engine keeps answering', async ({ page, host }) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await expect(page.getByTestId('anomaly-count')).toHaveText(/anomalies/, { timeout: 60_000 })

  const count = page.getByTestId('filter-count')
  await page.getByTestId('filter-text').fill('TIMED OUT')
  // Case-insensitive by default: every stack frame and message that says it.
  await expect(count).toHaveText('1,696 of 40,000 lines')
  await expect(page.getByTestId('filter-pending')).toBeHidden()
  await expect(page.locator('.log-viewer .view-lines')).toContainText('request timed out after 30000ms')

  await page.getByTestId('filter-case').click()
  await expect(count).toHaveText('0 of 40,000 lines')
  await page.getByTestId('filter-case').click()
  await page.getByTestId('filter-regex').click()
  await page.getByTestId('filter-text').fill('^\\S+ ERROR .*timed out after \\d+ms')
  // Only the records' first lines now, not the exceptions quoting the message.
  await expect(count).not.toHaveText('1,696 of 40,000 lines')
  await expect(count).toHaveText(/^[\d,]+ of 40,000 lines$/)
  const errors = Number((await count.innerText()).split(' ')[0]?.replace(/,/g, ''))
  expect(errors).toBeGreaterThan(0)
  expect(errors).toBeLessThan(1_696)
  await expect(page.locator('.log-viewer .view-lines')).not.toContainText('java.sql.SQLTransientConnectionException')

  await page.getByTestId('filter-text').fill('')
  await expect(count).toBeHidden()
  await expect(page.getByTestId('filter-pending')).toBeHidden()
})
