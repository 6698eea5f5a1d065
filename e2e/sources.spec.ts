/**
 * A case of two sources (a web server's log and its database's, put in one case file with the
 * CLI, as a colleague would hand it over), in Chromium through the web host: opened by its path,
 * each source on its own, then both interleaved by time, each line tagged with its source.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect, test } from './web-host-fixture.ts'

const bin = fileURLToPath(new URL('../bin/faultline.mjs', import.meta.url))
const start = Date.parse('2026-11-25T10:00:00Z')
const stamp = (second: number): string => new Date(start + second * 1_000).toISOString()

test('shows a case of two sources one at a time, and interleaved by time with each line tagged', async ({ page, host }, testInfo) => {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-sources-'))
  // The web server logs at even seconds, the database at odd ones.
  writeFileSync(join(dir, 'web.log'), Array.from({ length: 300 }, (_, i) => `${stamp(2 * i)} INFO [web] GET /api/orders/${i} 200 in ${5 + (i % 9)} ms`).join('\n') + '\n')
  writeFileSync(join(dir, 'db.log'), Array.from({ length: 300 }, (_, i) => `${stamp(2 * i + 1)} INFO [db] SELECT orders took ${1 + (i % 7)} ms`).join('\n') + '\n')
  const casePath = join(dir, 'orders.faultline')
  for (const log of ['web.log', 'db.log']) {
    const cli = spawnSync(process.execPath, [bin, 'open', join(dir, log), '--case', casePath], { encoding: 'utf8' })
    expect(cli.status, cli.stderr).toBe(0)
  }

  await page.goto(host.url)
  await page.getByTestId('open-path').fill(casePath)
  await page.getByRole('button', { name: 'Open', exact: true }).click()
  const picker = page.getByTestId('source-picker')
  await expect(picker).toBeVisible()
  await expect(page.getByTestId('status-file')).toHaveText('2 sources')
  await expect(page.getByTestId('status-lines')).toHaveText('600 lines')
  await expect(page.locator('.log-viewer .view-lines')).toContainText('GET /api/orders/0 200')

  await picker.selectOption({ label: 'db.log' })
  await expect(page.locator('.log-viewer .view-lines')).toContainText('SELECT orders took 1 ms')
  await expect(page.locator('.log-viewer .view-lines')).not.toContainText('GET /api/orders')
  // A filter works on the source picked, and follows the pick to another source.
  await page.getByTestId('filter-text').fill('took 3 ms')
  await expect(page.getByTestId('filter-count')).toHaveText('43 of 300 lines')
  await picker.selectOption({ label: 'web.log' })
  await expect(page.getByTestId('filter-count')).toHaveText('0 of 300 lines')
  await page.getByTestId('filter-text').fill('')

  await picker.selectOption('all')
  await expect(page.getByTestId('interleaved-note')).toBeVisible()
  const tags = page.locator('.log-viewer .fl-source-tag')
  await expect(tags.first()).toHaveText('web.log')
  // In time order: web, db, web, db… each tagged with its own source.
  await expect(tags.nth(1)).toHaveText('db.log')
  await expect(tags.nth(2)).toHaveText('web.log')
  await expect(page.locator('.log-viewer .view-lines')).toContainText('GET /api/orders/1 200')
  await testInfo.attach('interleaved', { body: await page.screenshot(), contentType: 'image/png' })
})
