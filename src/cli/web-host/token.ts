/**
 * The web host's per-launch secret. It is printed once (in the address) and then lives in an
 * HttpOnly, SameSite=Strict cookie, so page scripts never see it and other sites cannot use it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export function createToken(): string {
  return randomBytes(24).toString('base64url')
}

/** Cookies are not scoped by port, so the name carries it: two hosts side by side stay apart. */
export function tokenCookieName(port: number): string {
  return `faultline-token-${port}`
}

export function tokensMatch(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false
  const a = Buffer.from(expected)
  const b = Buffer.from(given)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The token a request presents: a bearer header, the cookie, or `?token=` (first visit only). */
export function presentedToken(req: IncomingMessage, url: URL, cookieName: string): string | undefined {
  const auth = req.headers.authorization
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim()
  const fromCookie = readCookie(req.headers.cookie, cookieName)
  if (fromCookie !== undefined) return fromCookie
  return url.searchParams.get('token') ?? undefined
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export function tokenCookie(name: string, token: string): string {
  return `${name}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`
}
