/**
 * Teaching Faultline what normal is, in Chromium through the web host: retrain the sample on a
 * stretch of itself, then on its known-good baseline file, and watch the flags change in place;
 * the models land in the library.
 */
import { fileURLToPath } from 'node:url'
import { activeLine, firstAnomaly } from './journeys.ts'
import { expect, test } from './web-host-fixture.ts'

const sampleBaseline = fileURLToPath(new URL('../resources/sample/baseline.log.gz', import.meta.url))

test('retrains on a chosen baseline and re-scores the case in place', async ({ page, host }, testInfo) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  const count = page.getByTestId('anomaly-count')
  await expect(count).toHaveText(/[1-9][\d,]* anomalies/, { timeout: 60_000 })
  const before = await count.innerText()

  // "The first 5,000 lines were normal": a model of the incident's own quiet start.
  await page.getByTestId('open-retrain').click()
  await page.getByTestId('baseline-lines').check()
  await page.locator('[data-testid="retrain-dialog"] input[type="number"]').nth(1).fill('5000')
  await page.getByTestId('start-training').click()
  const change = page.getByTestId('change-summary')
  await expect(change).toBeVisible({ timeout: 60_000 })
  await expect(change).toContainText('newly flagged')
  await expect(count).not.toHaveText(before)
  await testInfo.attach('retrained on a stretch', { body: await page.screenshot(), contentType: 'image/png' })

  // Then the sample's known-good baseline file, from the Models view.
  await page.getByTestId('open-models').click()
  await expect(page.getByTestId('model-row')).toHaveCount(1)
  await page.getByTestId('train-new-model').click()
  await page.getByTestId('baseline-paths').fill(sampleBaseline)
  await page.getByTestId('start-training').click()
  await expect(page.getByTestId('status-model')).toHaveText('model: baseline.log.gz', { timeout: 60_000 })
  await expect(count).toHaveText(before)

  await page.getByTestId('open-models').click()
  await expect(page.getByTestId('model-row')).toHaveCount(2)
  await expect(page.getByTestId('model-row').filter({ hasText: 'in use' })).toContainText('baseline.log.gz')
  await testInfo.attach('models', { body: await page.screenshot(), contentType: 'image/png' })
})

test('compares with the baseline, learns that a line is normal, and exports the evidence redacted', async ({ page, host }, testInfo) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  const count = page.getByTestId('anomaly-count')
  await expect(count).toHaveText(/[1-9][\d,]* anomalies/, { timeout: 60_000 })
  const before = Number((await count.innerText()).split(' ')[0]?.replace(/,/g, ''))

  // F8 to the first anomaly; N says it is normal: lines like it are cleared, and it can be undone.
  const line = await firstAnomaly(page)
  await page.keyboard.press('n')
  const change = page.getByTestId('change-summary')
  await expect(change).toContainText('Learnt that it is normal', { timeout: 60_000 })
  await expect(page.getByTestId('cleared')).not.toHaveText('−0 cleared')
  await expect(count).not.toHaveText(`${before.toLocaleString('en-US')} anomalies`)
  await page.getByTestId('undo-normal').click()
  await expect(count).toHaveText(`${before.toLocaleString('en-US')} anomalies`, { timeout: 60_000 })

  // B bookmarks the line for the export.
  await page.locator('.log-viewer .monaco-editor').click()
  await page.keyboard.press('Control+g')
  await page.keyboard.type(String(line))
  await page.keyboard.press('Enter')
  await expect(activeLine(page)).toHaveText(String(line))
  await page.keyboard.press('b')
  await expect(page.locator('.log-viewer .fl-bookmark')).toHaveCount(1)

  // Export the report and the CSV, redacted: no address of the log survives.
  const ipv4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/
  for (const format of ['md', 'csv'] as const) {
    await page.getByTestId('open-export').click()
    await page.getByTestId(`format-${format}`).check()
    await page.getByTestId('export-redact').check()
    const downloading = page.waitForEvent('download')
    await page.getByTestId('start-export').click()
    const download = await downloading
    const text = await (await download.createReadStream()).toArray().then((chunks) => Buffer.concat(chunks as Buffer[]).toString('utf8'))
    await testInfo.attach(`export.${format}`, { body: text, contentType: 'text/plain' })
    expect(download.suggestedFilename()).toMatch(new RegExp(`-redacted-.*\\.${format}$`))
    expect(text).not.toMatch(ipv4)
    expect(text).toContain('<ip-1>')
    if (format === 'md') {
      expect(text).toContain('Could not acquire DB connection')
      expect(text).toContain('data:image/svg+xml')
    } else expect(text.split('\n')[0]).toContain('reasons')
  }

  // Compare with the baseline: the outage's templates are new; a click shows their lines.
  await page.getByTestId('open-compare').click()
  const added = page.getByTestId('compare-new').getByTestId('compare-row')
  await expect(added.filter({ hasText: 'Could not acquire DB connection' })).toHaveCount(1)
  await testInfo.attach('compare', { body: await page.screenshot(), contentType: 'image/png' })
  await added.filter({ hasText: 'Could not acquire DB connection' }).click()
  await expect(page.getByTestId('filter-count')).toHaveText(/^[\d,]+ of 40,000 lines$/)
  await expect(page.locator('.log-viewer .view-lines')).toContainText('Could not acquire DB connection')
})
