/**
 * The Content-Security-Policy both hosts ship: the Electron page's <meta> (src/renderer/index.html)
 * and the web host's header. Strict (no eval, no remote code), Monaco's workers allowed, and the
 * same policy in both places.
 */
import { readFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import { describe, expect, it } from 'vitest'
import { setSecurityHeaders } from './security-headers.ts'

function parse(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name as string, values])
  )
}

function headerPolicy(): Map<string, string[]> {
  const headers = new Map<string, string>()
  setSecurityHeaders({ setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value) } as unknown as ServerResponse)
  return parse(headers.get('content-security-policy') ?? '')
}

function pagePolicy(): Map<string, string[]> {
  const html = readFileSync(new URL('../../renderer/index.html', import.meta.url), 'utf8')
  const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
  return parse(meta?.[1] ?? '')
}

describe('content security policy', () => {
  for (const [where, policy] of [
    ['web host header', headerPolicy()],
    ['Electron page', pagePolicy()]
  ] as const) {
    it(`is strict in the ${where}: own scripts only, no eval, nothing remote, workers allowed`, () => {
      expect(policy.get('default-src')).toEqual(["'self'"])
      expect(policy.get('script-src')).toEqual(["'self'"])
      expect(policy.get('object-src')).toEqual(["'none'"])
      expect(policy.get('base-uri')).toEqual(["'none'"])
      expect(policy.get('worker-src')).toEqual(["'self'", 'blob:'])
      for (const [name, values] of policy) {
        // data: is fine for images and fonts (Monaco's codicons), never for code.
        const forbidden = name === 'img-src' || name === 'font-src' ? /unsafe-eval|^https?:|^\*/ : /unsafe-eval|^https?:|^\*|^data:/
        for (const value of values) expect(value, name).not.toMatch(forbidden)
      }
    })
  }

  it('is the same policy in both, but for what only a header can say', () => {
    const header = headerPolicy()
    header.delete('frame-ancestors')
    expect(pagePolicy()).toEqual(header)
  })
})
