import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { request } from '@playwright/test'
import { engineRoundTrip, themePersists } from './journeys.ts'
import { expect, test } from './web-host-fixture.ts'

test.describe('renderer in Chromium through the web host', () => {
  test('loads and round-trips through the router', async ({ page, host }, testInfo) => {
    await page.goto(host.url)
    await engineRoundTrip(page, testInfo)
    // The token left the address bar for an HttpOnly cookie.
    expect(page.url()).toBe(`${host.origin}/`)
  })

  test('keeps a setting in the real SQLite file across a reload', async ({ page, host }) => {
    await page.goto(host.url)
    await themePersists(page, async () => {
      await page.reload()
    })
    expect(existsSync(join(host.dataDir, 'faultline.db'))).toBe(true)
  })

  test('fetches nothing from outside the loopback host', async ({ page, host }) => {
    const foreign: string[] = []
    page.on('request', (req) => {
      const url = req.url()
      if (!url.startsWith(host.origin) && !url.startsWith('blob:') && !url.startsWith('data:')) foreign.push(url)
    })
    await page.goto(host.url)
    await expect(page.locator('.monaco-editor .view-lines')).toContainText('ready')
    expect(foreign).toEqual([])
  })

  test('refuses the API without the token and answers bad params with a typed error', async ({ page, host }) => {
    const stranger = await request.newContext()
    expect((await stranger.post(`${host.origin}/api/app.info`, { data: {} })).status()).toBe(401)
    expect((await stranger.get(`${host.origin}/`)).status()).toBe(401)
    await stranger.dispose()

    await page.goto(host.url) // the page's context now holds the cookie
    const bad = await page.request.post(`${host.origin}/api/settings.update`, { data: { patch: { theme: 'plaid' } } })
    expect(bad.status()).toBe(400)
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
  })

  test('says so when the engine goes away, instead of going blank', async ({ page, host }) => {
    await page.goto(host.url)
    await expect(page.getByTestId('connection')).toHaveText(/connected/)
    await host.stop()
    await expect(page.getByTestId('connection')).toHaveText(/disconnected|connecting/)
    await expect(page.getByTestId('engine-facts')).toBeVisible()
  })
})
