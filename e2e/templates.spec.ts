/**
 * Editing templates in Chromium through the web host, on the bundled sample: merge two templates
 * into one row with their counts summed, split one on a parameter so rows appear, and undo both.
 */
import type { Locator, Page } from '@playwright/test'
import { expect, test } from './web-host-fixture.ts'

const countOf = async (row: Locator): Promise<number> => Number((await row.locator('.tp-col-count').getAttribute('title'))?.replace(/,/g, ''))
const templateCount = async (page: Page): Promise<number> => Number((await page.getByTestId('templates-count').innerText()).split(' ')[0]?.replace(/,/g, ''))
const row = (page: Page, id: string): Locator => page.locator(`[data-testid="template-row"][data-template-id="${id}"]`)

test('merges two templates, splits one on a parameter, and undoes both', async ({ page, host }, testInfo) => {
  await page.goto(host.url)
  await page.getByTestId('open-sample').click()
  await expect(page.getByTestId('anomaly-count')).toHaveText(/[1-9][\d,]* anomalies/, { timeout: 60_000 })
  const rows = page.getByTestId('template-row')
  await expect(rows.first()).toBeVisible()
  const templates = await templateCount(page)

  // Merge: select two rows (the second with Ctrl), then "Merge 2".
  const first = rows.nth(0)
  const second = rows.nth(1)
  const [a, b] = [(await first.getAttribute('data-template-id')) as string, (await second.getAttribute('data-template-id')) as string]
  const [countA, countB] = [await countOf(first), await countOf(second)]
  await expect(page.getByTestId('templates-merge')).toBeDisabled()
  await first.click()
  await second.click({ modifiers: ['ControlOrMeta'] })
  // Both selected filter the viewer to both templates' lines (continuation lines included).
  await expect(page.getByTestId('filter-count')).toHaveText(/^[\d,]+ of 40,000 lines$/)
  await expect(page.getByTestId('templates-merge')).toHaveText('Merge 2')
  const both = await page.getByTestId('filter-count').innerText()
  await page.getByTestId('templates-merge').click()
  // The commonest of the two is kept; the other row goes and its lines count under the kept one.
  const [kept, gone] = countA > countB || (countA === countB && Number(a) < Number(b)) ? [a, b] : [b, a]
  await expect(row(page, gone)).toHaveCount(0, { timeout: 30_000 })
  await expect.poll(() => countOf(row(page, kept)), { timeout: 30_000 }).toBe(countA + countB)
  await expect.poll(() => templateCount(page)).toBe(templates - 1)
  await expect(page.getByTestId('template-edit-undo')).toHaveText('Undo merge')
  // The merged template alone filters the viewer to both templates' lines.
  await expect(page.getByTestId('filter-chip').filter({ hasText: 'template' })).toHaveCount(1)
  await expect(page.getByTestId('filter-count')).toHaveText(both)
  await testInfo.attach('merged', { body: await page.screenshot(), contentType: 'image/png' })

  // Split: one template, "Split…", a parameter position from the popover (keyboard: Enter).
  await page.getByTestId('templates-filter').fill('Cache hit for product')
  const cache = rows.filter({ hasText: 'Cache hit for product' }).first()
  const cacheId = (await cache.getAttribute('data-template-id')) as string
  const cacheCount = await countOf(cache)
  await cache.click()
  await expect(page.getByTestId('templates-split')).toBeEnabled({ timeout: 30_000 })
  await page.getByTestId('templates-split').click()
  const choice = page.getByTestId('split-position').and(page.locator(':enabled')).first()
  await expect(choice).toBeFocused()
  await testInfo.attach('split popover', { body: await page.screenshot(), contentType: 'image/png' })
  await page.keyboard.press('Enter')
  await expect(page.getByTestId('split-popover')).toHaveCount(0)
  await page.getByTestId('templates-filter').fill('')
  await expect.poll(() => templateCount(page), { timeout: 30_000 }).toBeGreaterThan(templates - 1)
  const split = (await templateCount(page)) - (templates - 1)
  await expect.poll(() => countOf(row(page, cacheId))).toBeLessThan(cacheCount)
  await expect(page.getByTestId('template-edit-undo')).toHaveText('Undo split')
  await testInfo.attach('split', { body: await page.screenshot(), contentType: 'image/png' })
  expect(split).toBeGreaterThan(0)

  // Undo the split, then the merge.
  await expect(page.getByTestId('template-edit-undo')).toBeEnabled({ timeout: 30_000 })
  await page.getByTestId('template-edit-undo').click()
  await expect.poll(() => templateCount(page), { timeout: 30_000 }).toBe(templates - 1)
  await expect.poll(() => countOf(row(page, cacheId))).toBe(cacheCount)
  await expect(page.getByTestId('template-edit-undo')).toHaveText('Undo merge')
  await expect(page.getByTestId('template-edit-undo')).toBeEnabled({ timeout: 30_000 })
  await page.getByTestId('template-edit-undo').click()
  await expect.poll(() => templateCount(page), { timeout: 30_000 }).toBe(templates)
  await expect(row(page, gone)).toHaveCount(1)
  await expect.poll(() => countOf(row(page, kept))).toBe(kept === a ? countA : countB)
  await expect(page.getByTestId('template-edit-undo')).toHaveCount(0)
})
