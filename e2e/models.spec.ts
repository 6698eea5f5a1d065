/**
 * Teaching Faultline what normal is, in Chromium through the web host: retrain the sample on a
 * stretch of itself, then on its known-good baseline file, and watch the flags change in place;
 * the models land in the library.
 */
import { fileURLToPath } from 'node:url'
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
