/**
 * The same journeys in the real Electron window. Where no Electron runtime is installed (as on
 * machines that cannot reach Electron's download host) the spec is skipped, and says why.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import type { ElectronApplication, Page } from '@playwright/test'
import { findElectronBinary } from '../scripts/electron-binary.ts'
import { engineRoundTrip, themePersists } from './journeys.ts'

const binary = findElectronBinary()
if (!binary.found) console.log(`Electron journeys skipped: ${binary.reason}. The same journeys ran in Chromium.`)

test.describe('renderer in the Electron window', () => {
  test.skip(!binary.found, `Electron journeys skipped: ${binary.found ? '' : binary.reason}`)

  let app: ElectronApplication
  let window: Page

  test.beforeEach(async () => {
    if (!binary.found) return
    const dataDir = mkdtempSync(join(tmpdir(), 'faultline-electron-'))
    app = await electron.launch({
      executablePath: binary.path,
      args: ['.', '--no-sandbox'],
      env: { ...process.env, FAULTLINE_DATA_DIR: dataDir }
    })
    window = await app.firstWindow()
  })

  test.afterEach(async () => {
    await app?.close()
  })

  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  test('loads and round-trips through the router over IPC', async ({}, testInfo) => {
    await engineRoundTrip(window, testInfo)
    await expect(window.getByText('Desktop')).toBeVisible()
  })

  test('keeps a setting in the real SQLite file across a reload', async () => {
    await themePersists(window, async () => {
      await window.reload()
    })
  })
})
