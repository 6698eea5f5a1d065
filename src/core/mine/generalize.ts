import { WILDCARD } from './mask-token.ts'

/** Generalises `template` in place where `tokens` differ. Returns whether anything changed. */
export function generalize(template: string[], tokens: readonly string[]): boolean {
  let changed = false
  for (let i = 0; i < template.length; i++) {
    const a = template[i] as string
    const b = tokens[i] as string
    if (a === b || a === WILDCARD) continue
    const merged = mergeTokens(a, b)
    if (merged !== a) {
      template[i] = merged
      changed = true
    }
  }
  return changed
}

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}

/**
 * One token covering two: their shared punctuation-bounded prefix and suffix around a wildcard
 * (`name=android,` + `name=com.acme,` → `name=<*>,`), so the key stays visible and a later
 * value still matches.
 */
export function mergeTokens(a: string, b: string): string {
  if (a === b) return a
  const max = Math.min(a.length, b.length)
  let p = 0
  while (p < max && a.charCodeAt(p) === b.charCodeAt(p)) p++
  // Cut back to a boundary so no word is split (`St<*>ing`).
  while (p > 0 && isWordChar(a.charCodeAt(p - 1))) p--
  let q = 0
  while (q < max - p && a.charCodeAt(a.length - 1 - q) === b.charCodeAt(b.length - 1 - q)) q++
  while (q > 0 && isWordChar(a.charCodeAt(a.length - q))) q--
  const prefix = a.slice(0, p)
  const suffix = a.slice(a.length - q)
  // Keep an existing wildcard from being doubled at the seam (`<*>` + `<*>`).
  return (prefix.endsWith(WILDCARD) ? prefix.slice(0, -WILDCARD.length) : prefix) + WILDCARD + (suffix.startsWith(WILDCARD) ? suffix.slice(WILDCARD.length) : suffix)
}

/**
 * Collapses repeats of a variable unit (`@<*> @<*> @<*>` → `@<*>`, `<*> <*> <ok> <*> <*> <ok>` →
 * `<*> <*> <ok>`) so lists of any length share a key. Units up to four tokens, holding a wildcard.
 */
export function collapseRuns(tokens: readonly string[]): string[] {
  const out: string[] = []
  for (const t of tokens) {
    // `@<*> @<*>)`: the closing punctuation of a list's last item does not make it a new item.
    const prev = out[out.length - 1]
    if (prev !== undefined && t !== prev && t.includes(WILDCARD) && stripClose(t) === stripClose(prev)) {
      out[out.length - 1] = t
      continue
    }
    out.push(t)
    for (let p = 1; p <= 4 && out.length >= 2 * p; p++) {
      const n = out.length
      let repeat = true
      let wild = false
      for (let k = 0; k < p; k++) {
        const a = out[n - p + k] as string
        if (a !== out[n - 2 * p + k]) {
          repeat = false
          break
        }
        if (a.includes(WILDCARD)) wild = true
      }
      if (repeat && wild) {
        out.length = n - p
        break
      }
    }
  }
  return out
}

function stripClose(t: string): string {
  return t.replace(/[)\]},;.]+$/, '')
}
