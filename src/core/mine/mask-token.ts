/** The wildcard both masks and learned variable positions use. */
export const WILDCARD = '<*>'

// Characters that split a token into segments; each segment is masked on its own so that
// `HWID=1973)` keeps its shape `HWID=<*>)` while `blk_-1608` becomes `<*>`.
const DELIMS = new Set([...':,=()[]{}"\'<>;|'].map((c) => c.charCodeAt(0)))
/** Character flags for the one-scan fast path. */
export const F_DIGIT = 1
const F_DELIM = 2
export const F_PATHISH = 4
export const F_DOT = 8
// Indexed by UTF-16 code unit, so the hot loop needs no range check.
export const CLASS = new Uint8Array(65536)
CLASS[46] = F_DOT
for (let c = 48; c <= 57; c++) CLASS[c] = F_DIGIT
for (const c of DELIMS) CLASS[c] = F_DELIM
for (const c of [47, 92, 64, 126, 61]) CLASS[c] = F_PATHISH
/**
 * Marks for the message scan alone (a colon may start a clock, a quote a quoted value: see
 * mask-message.ts); a token's own flags keep the bits below.
 */
export const F_COLON = 16
export const F_QUOTE = 32
export const TOKEN_FLAGS = 15
CLASS[58] = (CLASS[58] as number) | F_COLON
CLASS[34] = (CLASS[34] as number) | F_QUOTE
const EQ = 61
const SLASH = 47
const BACKSLASH = 92
export const DOT = 46
const TILDE = 126

/** Literal values that stand in for a variable (`overlap:false`, `for null`). */
const LITERALS = new Set(['true', 'false', 'null', 'nil', 'undefined'])

/**
 * `true`, `False`, `null`…: compared letter by letter, ignoring case, with no lowercased copy
 * and no hashing (common words such as `for` or `user` reach this check on every line).
 */
function isLiteral(tok: string): boolean {
  switch (tok.length) {
    case 3:
      return sameLetters(tok, 'nil')
    case 4:
      return sameLetters(tok, 'true') || sameLetters(tok, 'null')
    case 5:
      return sameLetters(tok, 'false')
    case 9:
      return sameLetters(tok, 'undefined')
    default:
      return false
  }
}

/** Whether `tok` spells `lower` (lower-case ASCII letters, same length) in any case. */
function sameLetters(tok: string, lower: string): boolean {
  for (let i = 0; i < lower.length; i++) if ((tok.charCodeAt(i) | 0x20) !== lower.charCodeAt(i)) return false
  return true
}

const QUALIFIED = /^[A-Za-z_$][\w$-]*(?:\.[A-Za-z_$][\w$-]*){2,}$/
const LITERAL_INSIDE = /true|false|null|nil|undefined/i

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

const URL = /^[a-z][\w+.-]*:\/\/\S+$/i
const EMAIL = /^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/
const PATH = /^(?:[A-Za-z]:\\|\\\\|~\/|\.{0,2}\/)[^\s]+$/
// MAC / IPv6 / colon-separated hex: some groups (`FF`, `DC`) have no digit but are still data.
const HEX_GROUPS = /^[0-9a-f]{1,4}(?:[:-][0-9a-f]{1,4}){3,}$/i

/**
 * Replaces the variable parts of one whitespace token with `<*>`: anything with a digit
 * (numbers, hex, UUIDs, block/request ids, IPs and ports, versions, durations, sizes), URLs,
 * emails, paths, MAC-style hex groups, qualified names, quoted words, `true`/`false`/`null`,
 * and the value of `key=value`. Idempotent: masking a masked token changes nothing.
 */
export function maskToken(tok: string): string {
  // One scan decides the common cases: plain words pass through; a token with a digit and no
  // delimiter, path or address marker is a single variable.
  let flags = 0
  for (let i = 0; i < tok.length; i++) flags |= CLASS[tok.charCodeAt(i)] as number
  flags &= TOKEN_FLAGS
  if ((flags & F_DOT) !== 0 && tok.includes('..')) flags |= F_PATHISH
  const quick = quickMask(tok, flags)
  if (quick !== null) return quick
  return maskFully(tok)
}

/** Whether a token could be a whole value (URL, email, path, hex groups): one char scan. */
function mayBeWholeValue(tok: string): boolean {
  const c0 = tok.charCodeAt(0)
  if (c0 === DOT || tok.charCodeAt(1) === 58) return true
  let separators = 0
  for (let i = 0; i < tok.length; i++) {
    const c = tok.charCodeAt(i)
    if (c === SLASH || c === BACKSLASH || c === 64 || c === TILDE) return true
    if (c === 58 || c === 45) separators++
  }
  return separators >= 3
}

/** `'foo'` / `"foo"` (a quoted word, possibly followed by punctuation): a value. */
const QUOTED_WORD = /^(['"])[^'"\s]+\1[.,;:)\]]*$/

export function maskFully(tok: string): string {
  return maskCommonShape(tok) ?? maskFullyGeneral(tok)
}

// What ends a `key=value` value or makes the token a candidate whole value (`maskFullyGeneral`).
const VALUE_STOP = new Uint8Array(128)
for (const c of DELIMS) VALUE_STOP[c] = 1
for (const c of [SLASH, BACKSLASH, 64, TILDE]) VALUE_STOP[c] = 1

/**
 * The two commonest shapes that need more than `quickMask`, settled in one scan with exactly
 * `maskFullyGeneral`'s result: `key=value` (a word of letters, one value with no delimiter, path
 * or address marker) and an absolute path with trailing punctuation. Anything else: null.
 */
export function maskCommonShape(tok: string): string | null {
  const n = tok.length
  const c0 = tok.charCodeAt(0)
  if (c0 === SLASH) {
    let b = n
    while (b > 0 && TRAIL.has(tok.charCodeAt(b - 1))) b--
    if (b < 2) return null
    for (let i = 1; i < b; i++) {
      const c = tok.charCodeAt(i)
      // Whitespace (an escaped space, or Unicode spaces) and `://` take the general path.
      if (c <= 32 || c >= 128 || c === 58) return null
    }
    return WILDCARD + tok.slice(b)
  }
  if (!isKeyChar(c0)) return null
  let i = 1
  while (i < n && isKeyChar(tok.charCodeAt(i))) i++
  if (i + 1 >= n || tok.charCodeAt(i) !== EQ) return null
  let dashes = 0
  for (let j = i + 1; j < n; j++) {
    const c = tok.charCodeAt(j)
    if (c <= 32 || c >= 128 || VALUE_STOP[c] === 1) return null
    if (c === 45) dashes++
    else if (c === DOT && tok.charCodeAt(j + 1) === DOT) return null
  }
  if (dashes >= 3 || isLiteral(tok.slice(0, i))) return null
  return tok.slice(0, i + 1) + WILDCARD
}

/** Letters and `_` (a key with a digit is itself masked: general path). */
function isKeyChar(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95
}

export function maskFullyGeneral(tok: string): string {
  const c0 = tok.charCodeAt(0)
  const quoted = c0 === 34 || c0 === 39 ? QUOTED_WORD.exec(tok) : null
  if (quoted !== null) {
    const q = quoted[1] as string
    return q + WILDCARD + tok.slice(tok.lastIndexOf(q))
  }
  if (!mayBeWholeValue(tok)) return maskSegments(tok)
  const [lead, core, trail] = edges(tok)
  if (core.length > 0 && core !== WILDCARD && wholeValue(core)) return lead + WILDCARD + trail
  return maskSegments(tok)
}

/** Settles a token from its character flags alone, or returns null for the full treatment. */
const IP_PORT = /^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/
const IP_PORT_MASK = `${WILDCARD}:${WILDCARD}`

/**
 * A hex id that happens to have no digit (`efecbccb`: about 1 in 2,500 random 8-digit ids). No
 * English word of 8 or more letters is spelt with a–f alone, so this catches ids, not words.
 */
const HEX_LETTERS = /^(?:[a-f]{8,}|[A-F]{8,})$/

/** `a`–`f` or `A`–`F`: the cheap gate before `HEX_LETTERS` (most words fail it). */
function isHexLetter(c: number): boolean {
  const lower = c | 0x20
  return lower >= 97 && lower <= 102
}

export function quickMask(tok: string, flags: number): string | null {
  if (flags === F_DIGIT || flags === (F_DIGIT | F_DOT)) return tok.charCodeAt(0) === DOT ? null : WILDCARD
  // The most common address shape, without the segment walk.
  if (flags === (F_DIGIT | F_DOT | F_DELIM) && IP_PORT.test(tok)) return IP_PORT_MASK
  if (flags === 0) return isLiteral(tok) || (tok.length >= 8 && isHexLetter(tok.charCodeAt(0)) && HEX_LETTERS.test(tok)) ? WILDCARD : tok
  if (flags === F_DOT) return QUALIFIED.test(tok) ? WILDCARD : tok
  // Words with punctuation only (`src:`, `(main)`) change only if they hold a literal value
  // or a qualified name.
  if ((flags & ~F_DOT) === F_DELIM) {
    const c0 = tok.charCodeAt(0)
    return (tok.length >= 5 && LITERAL_INSIDE.test(tok)) || (flags & F_DOT) !== 0 || c0 === 34 || c0 === 39 ? null : tok
  }
  return null
}

// Digit-free tokens that need more than the scan (`NameSystem.addStoredBlock:`) are the
// template's own words and repeat endlessly: remember their masks.
const wordCache = new Map<string, string>()
const WORD_CACHE_LIMIT = 100_000

export function wordMask(tok: string, flags: number): string {
  let masked = wordCache.get(tok)
  if (masked === undefined) {
    masked = quickMask(tok, flags) ?? maskFully(tok)
    if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear()
    wordCache.set(tok, masked)
  }
  return masked
}

const LEAD = new Set([...'("\'[{<'].map((c) => c.charCodeAt(0)))
const TRAIL = new Set([...')"\']}>,;.!?:'].map((c) => c.charCodeAt(0)))

/** Splits off sentence punctuation around a value: `(/etc/x),` → `(`, `/etc/x`, `),`. */
function edges(tok: string): [string, string, string] {
  let a = 0
  let b = tok.length
  while (a < b && LEAD.has(tok.charCodeAt(a))) a++
  while (b > a && TRAIL.has(tok.charCodeAt(b - 1))) b--
  return [tok.slice(0, a), tok.slice(a, b), tok.slice(b)]
}

function wholeValue(core: string): boolean {
  if (core.includes('://')) return URL.test(core)
  if (core.includes('@') && EMAIL.test(core)) return true
  const c0 = core.charCodeAt(0)
  if ((c0 === SLASH || c0 === DOT || c0 === TILDE || c0 === BACKSLASH || core.charCodeAt(1) === 58) && PATH.test(core)) return true
  return HEX_GROUPS.test(core) && /\d/.test(core)
}

function maskSegments(tok: string): string {
  let out = ''
  let segStart = 0
  let afterEq = false
  for (let i = 0; i <= tok.length; i++) {
    const c = i < tok.length ? tok.charCodeAt(i) : -1
    // Dot leaders (`instruction......0`) separate a label from its value.
    if (c === DOT && tok.charCodeAt(i + 1) === DOT) {
      out += maskSegment(tok.slice(segStart, i), afterEq)
      let j = i
      while (tok.charCodeAt(j) === DOT) j++
      out += tok.slice(i, j)
      i = j - 1
      segStart = j
      afterEq = false
      continue
    }
    if (c !== -1 && !DELIMS.has(c)) continue
    out += maskSegment(tok.slice(segStart, i), afterEq)
    if (c !== -1) {
      // `<*>` contains delimiters: copy it whole.
      if (c === 60 && tok.startsWith(WILDCARD, i)) {
        out += WILDCARD
        i += WILDCARD.length - 1
        segStart = i + 1
        afterEq = false
        continue
      }
      out += tok[i]
      afterEq = c === EQ
    }
    segStart = i + 1
  }
  return out
}

function maskSegment(seg: string, afterEq: boolean): string {
  if (seg.length === 0) return seg
  if (afterEq) return WILDCARD
  for (let i = 0; i < seg.length; i++) if (isDigit(seg.charCodeAt(i))) return WILDCARD
  // Paths and `package/.Activity`-style names.
  if (seg.length > 3 && (seg.includes('/') || seg.includes('\\'))) return WILDCARD
  if (LITERALS.has(seg.toLowerCase())) return WILDCARD
  // Qualified names (`org.acme.jobs.EventType`, `ns.example.com`): class, package or host
  // names are what a message is about, not what kind of message it is.
  if (QUALIFIED.test(seg)) return WILDCARD
  if (seg.includes('@') && EMAIL.test(seg)) return WILDCARD
  return seg
}

