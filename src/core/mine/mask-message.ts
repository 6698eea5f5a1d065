import { CLASS, DOT, F_COLON, F_DIGIT, F_DOT, F_PATHISH, F_QUOTE, TOKEN_FLAGS, WILDCARD, isDigit, maskFully, maskToken, quickMask, wordMask } from './mask-token.ts'

export { WILDCARD, maskToken } from './mask-token.ts'

const BACKSLASH = 92

/** Splits message content on whitespace (runs of spaces count once; `\ ` does not split). */
export function splitWords(content: string): string[] {
  const out: string[] = []
  const n = content.length
  let i = 0
  while (i < n) {
    while (i < n && content.charCodeAt(i) <= 32) i++
    if (i >= n) break
    const s = i
    while (i < n && (content.charCodeAt(i) > 32 || (content.charCodeAt(i) === 32 && content.charCodeAt(i - 1) === BACKSLASH))) i++
    out.push(content.slice(s, i))
  }
  return out
}

export function maskWords(words: readonly string[]): string[] {
  return words.map(maskToken)
}

/**
 * Splits and masks a message in one scan (the miner's hot path): plain words and digit-only
 * variables are settled by the scan itself; only tokens with delimiters go to `maskToken`.
 * Equivalent to `maskWords(messageWords(content))`.
 */
export function maskMessage(content: string): string[] {
  const out: string[] = []
  maskMessageInto(content, out)
  return out
}

const WILD_HASH = 0x5bd1e995

function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619)
  return h
}

/** The hash `maskMessageInto` computes, for tokens masked elsewhere. */
export function hashTokens(tokens: readonly string[]): number {
  let key = 0x811c9dc5
  for (const t of tokens) key = mixToken(key, t === WILDCARD ? WILD_HASH : hashString(t))
  return key >>> 0
}

function mixToken(key: number, h: number): number {
  return Math.imul(key ^ h, 0x01000193) ^ (key >>> 15)
}

/**
 * `maskMessage` into a reused array, returning a hash of the masked tokens computed during the
 * same scan, so the miner's exact lookup needs neither a joined key nor a second pass.
 */
export function maskMessageInto(content: string, out: string[]): number {
  return maskRangeInto(content, 0, content.length, out)
}

/**
 * `maskMessageInto(text.slice(from, to), out)`, read where the message stands: an ingest's
 * batch text is one flat string, whose characters read faster than a slice's (measured: a
 * seventh of the masking time). The rare message with a clock or a quoted value, which the scan
 * notices by its colon or quote, is masked again from its pre-masked copy.
 */
export function maskRangeInto(text: string, from: number, to: number, out: string[], premasked = false): number {
  out.length = 0
  let key = 0x811c9dc5
  let seen = 0
  const n = to
  let i = from
  while (i < n) {
    while (i < n && text.charCodeAt(i) <= 32) i++
    if (i >= n) break
    const start = i
    let flags = 0
    let wordHash = 0x811c9dc5
    for (; i < n; i++) {
      const c = text.charCodeAt(i)
      // A backslash-escaped space (`node-[27\ 191]`) stays inside its token.
      if (c <= 32 && !(c === 32 && text.charCodeAt(i - 1) === BACKSLASH)) break
      flags |= CLASS[c] as number
      wordHash = Math.imul(wordHash ^ c, 16777619)
    }
    seen |= flags
    flags &= TOKEN_FLAGS
    // Dot leaders (`a....0`) need the full treatment; checked only for dotted tokens.
    if ((flags & F_DOT) !== 0 && text.slice(start, i).includes('..')) flags |= F_PATHISH
    let h = WILD_HASH
    if ((flags === F_DIGIT || flags === (F_DIGIT | F_DOT)) && text.charCodeAt(start) !== DOT) out.push(WILDCARD)
    else {
      const tok = text.slice(start, i)
      const masked = flags === 0 || (flags & F_DIGIT) !== 0 ? (quickMask(tok, flags) ?? maskFully(tok)) : wordMask(tok, flags)
      // Unchanged words reuse the hash taken during the scan; a wildcard, even one written in
      // the message itself, hashes as `hashTokens` hashes it.
      if (masked !== WILDCARD) h = masked === tok ? wordHash : hashString(masked)
      out.push(masked)
    }
    key = mixToken(key, h)
  }
  if (!premasked && (seen & (F_COLON | F_QUOTE)) !== 0) {
    const content = text.slice(from, to)
    const pre = preMask(content)
    if (pre !== content) return maskRangeInto(pre, 0, pre.length, out, true)
  }
  return key >>> 0
}

/** Cheap pre-check for `h:mm` / `hh:mm` not part of an address (`10.1.2.3:50010`). */
function hasClock(text: string): boolean {
  for (let i = text.indexOf(':'); i > 0; i = text.indexOf(':', i + 1)) {
    if (!isDigit(text.charCodeAt(i - 1)) || !isDigit(text.charCodeAt(i + 1)) || !isDigit(text.charCodeAt(i + 2))) continue
    const after = text.charCodeAt(i + 3)
    if (isDigit(after) || after === DOT) continue
    let j = i - 1
    if (j > 0 && isDigit(text.charCodeAt(j - 1))) j--
    const before = j > 0 ? text.charCodeAt(j - 1) : 32
    if (!isDigit(before) && before !== DOT && before !== 58) return true
  }
  return false
}
// Dates written out inside messages (`at Fri Jul  1 07:57:30 2005`) vary in several words at
// once (weekday, month); they become one variable before tokenising.
const EMBEDDED_DATE =
  /(?<![\w.:/-])(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,? +)?(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* +\d{1,2},?(?: +\d{4})? +)?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?(?: +(?:[A-Z]{3,4}|[+-]\d{4}))?(?: +\d{4})?(?![\w:.\d])/g

// Only quoted values of keys (`tag="View Lock"`): a free-standing quote such as
// `"GET /path HTTP/1.1"` holds constants (the verb) that tell events apart.
const QUOTED_VALUE = /=\s?"[^"]*"/g

/** Message words, with the multi-word variables (dates, quoted values) already masked. */
export function messageWords(content: string): string[] {
  return splitWords(preMask(content))
}

/** Masks the variables that span spaces: written-out dates and quoted values. */
function preMask(content: string): string {
  let text = content
  if (hasClock(text)) text = text.replace(EMBEDDED_DATE, WILDCARD)
  if (text.includes('"') && (text.includes('="') || text.includes('= "'))) text = text.replace(QUOTED_VALUE, '="<*>"')
  return text
}

/** Masks a whole message; the result re-masks to itself. */
export function maskContent(content: string): string {
  return maskWords(messageWords(content)).join(' ')
}
