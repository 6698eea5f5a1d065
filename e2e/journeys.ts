/**
 * User journeys written once and run against both shells: Chromium through the web host, and
 * the Electron window where an Electron binary exists.
 */
import type { Page, TestInfo } from '@playwright/test'
import { expect } from '@playwright/test'

/** The renderer loads, reaches the engine through the router and shows what it answered. */
export async function engineRoundTrip(page: Page, testInfo: TestInfo): Promise<void> {
  await expect(page.getByTestId('connection')).toHaveText(/connected/)
  await expect(page.getByTestId('sqlite-version')).toHaveText(/^SQLite 3\.\d+\.\d+$/)
  await expect(page.getByTestId('engine-facts')).toContainText('Data folder')
  // The engine's own log, rendered by Monaco: proves the editor and its worker loaded.
  await expect(page.locator('.monaco-editor .view-lines')).toContainText('ready (SQLite')
  await testInfo.attach('home', { body: await page.screenshot(), contentType: 'image/png' })
}

/** A setting goes through the router into SQLite and survives a reload. */
export async function themePersists(page: Page, reload: () => Promise<void>): Promise<void> {
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
  await page.getByTestId('theme-toggle').click()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  await reload()
  await expect(page.getByTestId('sqlite-version')).toBeVisible()
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
}

/** The viewer's line with the cursor (its original number). */
export const activeLine = (page: Page) => page.locator('.log-viewer .line-numbers.active-line-number')

/** Ctrl+Home then F8: the first anomaly of the open case; returns its line number. */
export async function firstAnomaly(page: Page): Promise<number> {
  await page.locator('.log-viewer .monaco-editor').click()
  await page.keyboard.press('Control+Home')
  await expect(activeLine(page)).toHaveText('1')
  await page.keyboard.press('F8')
  await expect(activeLine(page)).not.toHaveText('1')
  return Number(await activeLine(page).innerText())
}
