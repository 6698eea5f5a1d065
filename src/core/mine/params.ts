import { WILDCARD } from './mask-token.ts'

const cache = new Map<string, RegExp>()
const CACHE_LIMIT = 10_000

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function pattern(tokens: readonly string[]): RegExp {
  const body = tokens.map((t) => t.split(WILDCARD).map(escape).join('(.*?)')).join('\\s+')
  return new RegExp(`^${body}$`, 's')
}

function compile(tokens: readonly string[]): RegExp {
  const key = tokens.join(' ')
  let re = cache.get(key)
  if (re === undefined) {
    re = pattern(tokens)
    if (cache.size >= CACHE_LIMIT) cache.clear()
    cache.set(key, re)
  }
  return re
}

/** Lazy groups backtrack on long lines that do not fit; past this, params go by position. */
const MAX_MATCH_CHARS = 8192

/** Values of the template's `<*>` slots in `content`, left to right. */
export function extractParams(tokens: readonly string[], content: string): string[] {
  if (!tokens.some((t) => t.includes(WILDCARD))) return []
  return extractWith(compile(tokens), tokens, content)
}

function extractWith(re: RegExp, tokens: readonly string[], content: string): string[] {
  const text = content.trim()
  const m = text.length <= MAX_MATCH_CHARS ? re.exec(text) : null
  if (m !== null) return m.slice(1).map((v) => v ?? '')
  // Templates generalise their members, so this is for giant lines only.
  const words = text.split(/\s+/)
  return tokens.flatMap((t, i) => (t.includes(WILDCARD) ? [words[i] ?? ''] : []))
}

/** `extractParams` bound to one template: the regex is built once (lazily), not looked up per call. */
export type ParamExtractor = (content: string) => string[]

export function paramExtractor(template: readonly string[]): ParamExtractor {
  const tokens = template.slice()
  if (!tokens.some((t) => t.includes(WILDCARD))) return () => []
  let re: RegExp | undefined
  return (content) => extractWith((re ??= pattern(tokens)), tokens, content)
}
