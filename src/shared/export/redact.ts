/**
 * Redaction for exports that leave the investigator's machine: addresses, emails, host names,
 * user names, tokens and keys, and numeric ids become placeholders (`<ip-1>`, `<user-2>`, …).
 * One `Redactor` serves a whole export, so the same value gets the same placeholder in every line
 * and every format and the story stays readable ("<user-1> failed from <ip-3>, then <user-1>
 * …"). Timestamps, levels and ordinary words stay.
 *
 * Rules run in order, most specific first (a JWT before a generic token, an email before its
 * domain, an address before a host name), each on the previous one's output; a placeholder never
 * matches a later rule, so redacting twice changes nothing. It errs towards redacting: a Java
 * class name ending in a top-level domain or a long mixed-case path segment may go too. (lnav's
 * anonymizer, tried here, kept host names, a token and numeric ids.)
 */

export const redactKinds = ['ip', 'email', 'host', 'user', 'token', 'id'] as const
export type RedactKind = (typeof redactKinds)[number]

interface Rule {
  kind: RedactKind
  /** Lower-case text one of which a match must contain: lines without any skip the pattern (most lines skip most rules). */
  needs?: readonly string[]
  /** Global; the value is group `v` when there is one (a prefix group `pre` is kept), else the whole match. */
  pattern: RegExp
  /** False keeps the match as it is (a candidate the pattern cannot rule out alone). */
  accept?: (value: string, offset: number) => boolean
  /** The value's identity: spellings of one value share a placeholder. */
  key?: (value: string) => string
}

const placeholder = /^<(?:ip|email|host|user|token|id)-\d+>$/
const lower = (value: string): string => value.toLowerCase()

/** Top-level domains host names here end in; file extensions that are also ccTLDs (.sh, .py, .md, .rs, .pl, .so, .zip) are left out. */
const hostSuffixes = new Set(
  (
    'com net org edu gov mil int io co ai app dev cloud tech online site info biz me tv us uk de fr nl eu ca au jp cn ru in br ch se no es it ' +
    'be at dk fi ie nz sg hk kr tw za mx ar cl pt cz gr hu ro tr il ua internal local localdomain lan corp home intranet private arpa test example invalid localhost'
  ).split(' ')
)

const authSchemes = '(?:bearer|basic|digest|negotiate|token)'
const valueChars = `[^\\s"',;&<>()\\[\\]{}]+`

const rules: readonly Rule[] = [
  // Credentials in a URL: user and password both go (the password as a token).
  { kind: 'user', needs: ['://'], pattern: /(?<pre>\b[a-z][a-z0-9+.-]*:\/\/)(?<v>[^:/\s@<>]+)(?=:[^@\s/<>]+@)/gi },
  { kind: 'token', needs: ['://'], pattern: /(?<pre>\b[a-z][a-z0-9+.-]*:\/\/<user-\d+>:)(?<v>[^@\s/<>]+)(?=@)/gi },
  // Well-known token shapes, before anything could cut them up.
  { kind: 'token', needs: ['eyj'], pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { kind: 'token', pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA)[A-Z0-9]{16}\b/g },
  { kind: 'token', needs: ['gh', 'xox', '_live_', '_test_', 'aiza'], pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abposr]-[A-Za-z0-9-]{10,}|(?:sk|pk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_-]{35})/g },
  // key=value secrets: password=…, "api_key": "…", aws_secret_access_key=…, Authorization: Bearer …
  {
    kind: 'token',
    needs: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'cookie', 'signature', 'auth'],
    pattern: new RegExp(
      `(?<pre>\\b[\\w.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|cookie|signature|auth)[\\w.-]*["']?\\s*[:=]\\s*["']?(?:${authSchemes}\\s+)?)(?<v>(?!${authSchemes}\\b)${valueChars})`,
      'gi'
    )
  },
  // The credential after an auth scheme, wherever it is written.
  // (A digit or symbol tells `Bearer 9f…` from `Basic authentication`.)
  { kind: 'token', needs: ['bearer', 'basic', 'digest', 'negotiate'], pattern: /(?<pre>\b(?:bearer|basic|digest|negotiate)\s+)(?<v>[A-Za-z0-9._~+/=-]{8,})/gi, accept: (value) => /[\d+/=._~-]/.test(value) },
  { kind: 'email', needs: ['@'], pattern: /[A-Za-z0-9._%+-]+@(?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}/g, key: lower },
  // Addresses before host names: `host=10.0.0.5` is an address.
  { kind: 'ip', needs: [':'], pattern: /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f]{1,4})?(?![\w:]|\.\d)/g, accept: isIpv6, key: ipv6Key },
  { kind: 'ip', needs: ['.'], pattern: /(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?![\w]|\.\d)/g },
  // User names where the log says so.
  { kind: 'user', needs: ['user', 'usr', 'login', 'account', 'owner', 'principal', 'uid', 'gid'], pattern: new RegExp(`(?<pre>\\b(?:user(?:_?name)?|usr|login|account|owner|principal|uid|gid)["']?\\s*[=:]\\s*["']?)(?<v>${valueChars})`, 'gi') },
  { kind: 'user', needs: [' user'], pattern: /(?<pre>\b(?:for|by|as|invalid|unknown) (?:(?:invalid|unknown|the) )?user\s+["']?)(?<v>[A-Za-z0-9._@$-]+)/gi },
  // sshd: `Accepted password for alice`; `… for invalid user bob` was the rule above.
  { kind: 'user', needs: [' for'], pattern: /(?<pre>\b(?:password|publickey|keyboard-interactive) for\s+)(?<v>[A-Za-z0-9._@$-]+)/gi, accept: (value) => !/^(?:invalid|unknown)$/i.test(value) },
  { kind: 'user', needs: ['/home/', '/users/'], pattern: /(?<pre>\/(?:home|Users)\/)(?<v>[^/\s"'<>]+)/g },
  { kind: 'user', needs: ['\\users\\'], pattern: /(?<pre>\\Users\\)(?<v>[^\\\s"'<>]+)/gi },
  // Host names: named as such, fully qualified, or AWS-style `ip-10-0-0-5`.
  {
    kind: 'host',
    needs: ['host', 'server', 'node', 'instance', 'machine', 'peer'],
    pattern: /(?<pre>\b(?:host(?:_?name)?|server|node|instance|machine|peer|remote_host)["']?\s*[=:]\s*["']?|\b(?:on|from|to|at) host\s+)(?<v>[A-Za-z0-9][A-Za-z0-9.-]*[A-Za-z0-9]|[A-Za-z0-9])/gi,
    key: lower
  },
  {
    kind: 'host',
    needs: ['.'],
    pattern: /(?<![\w.-])(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w-]|\.[A-Za-z0-9])/g,
    accept: (value) => hostSuffixes.has(value.slice(value.lastIndexOf('.') + 1).toLowerCase()),
    key: lower
  },
  { kind: 'host', needs: ['ip-'], pattern: /\bip-\d{1,3}-\d{1,3}-\d{1,3}-\d{1,3}\b/g, key: lower },
  // Ids: UUIDs, ids the log names, `#1234`, and long bare numbers.
  { kind: 'id', needs: ['-'], pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g, key: lower },
  // Secrets without a name: long hex, long base64-ish strings.
  { kind: 'token', pattern: /(?<![\w-])(?:0x)?[0-9a-fA-F]{24,}(?![\w-])/g },
  { kind: 'token', pattern: /(?<![\w+/=-])[A-Za-z0-9+/_-]{20,}={0,2}(?![\w+/=-])/g, accept: looksRandom },
  {
    kind: 'id',
    needs: ['id', 'order', 'txn', 'transaction', 'req', 'trace', 'span', 'job', 'ticket', 'invoice', 'customer', 'session'],
    pattern: /(?<pre>\b(?:[\w-]*?(?:_id|Id|ID|-id)|id|pid|tid|order|txn|transaction|request|req|trace|span|job|ticket|invoice|customer|session)["']?\s*[=:#]\s*["']?)(?<v>[A-Za-z0-9_.-]*\d[A-Za-z0-9_.-]*)/g
  },
  { kind: 'id', needs: ['#'], pattern: /(?<pre>(?<![\w&])#)(?<v>\d{2,})\b/g },
  // (Not a measure: `30000 ms`, `65536 bytes` stay.)
  { kind: 'id', pattern: /(?<![\w.-])\d{5,}(?![\w]|\.\d|\s?(?:[kKMGT]i?B|bytes?|ms|µs|us|ns|s|sec|secs|seconds?|min|minutes?|%)\b)/g, accept: (value, offset) => !(offset === 0 && isEpoch(value)) }
]

/**
 * A word that may be a learnt name: letters, digits, `_ . -` inside, not inside a placeholder.
 * Shorter names (`ok`, `db`) would take ordinary words with them.
 */
const bareWord = /(?<![\w<.-])[A-Za-z0-9_](?:[\w.-]*[A-Za-z0-9_])?(?![\w>-]|\.\w)/g
const minBareLength = 3

export class Redactor {
  /** Value → its number, per kind. Memory grows with distinct values (~100 bytes each). */
  readonly #seen = new Map<RedactKind, Map<string, number>>(redactKinds.map((kind) => [kind, new Map()]))
  /** Lower-cased user and host names seen so far → their placeholders. */
  readonly #bare = new Map<string, string>()

  redact(text: string): string {
    let out = text
    let lower = text.toLowerCase()
    for (const rule of rules) {
      if (rule.needs && !rule.needs.some((needed) => lower.includes(needed))) continue
      const next = out.replace(rule.pattern, (...args: unknown[]) => this.#replace(rule, args))
      if (next === out) continue
      out = next
      lower = out.toLowerCase()
    }
    // User and host names learnt from lines that named them, wherever else they stand alone.
    if (this.#bare.size > 0) out = out.replace(bareWord, (word) => this.#bare.get(word.toLowerCase()) ?? word)
    return out
  }

  /** How many distinct values of each kind were replaced so far. */
  counts(): Record<RedactKind, number> {
    return Object.fromEntries(redactKinds.map((kind) => [kind, this.#seen.get(kind)?.size ?? 0])) as Record<RedactKind, number>
  }

  #replace(rule: Rule, args: unknown[]): string {
    const match = args[0] as string
    const groups = args[args.length - 1]
    const named = typeof groups === 'object' && groups !== null ? (groups as { pre?: string; v?: string }) : {}
    const offset = args[typeof groups === 'object' ? args.length - 3 : args.length - 2] as number
    const pre = named.pre ?? ''
    const value = named.v ?? match
    if (placeholder.test(value)) return match
    if (rule.accept && !rule.accept(value, offset + pre.length)) return match
    return pre + this.#placeholder(rule.kind, rule.key ? rule.key(value) : value)
  }

  #placeholder(kind: RedactKind, key: string): string {
    const seen = this.#seen.get(kind) as Map<string, number>
    let n = seen.get(key)
    // A copy of the key: a slice would keep the whole text it came from (a block of lines) alive.
    if (n === undefined) {
      seen.set((' ' + key).slice(1), (n = seen.size + 1))
      if ((kind === 'user' || kind === 'host') && key.length >= minBareLength && !/^\d+$/.test(key)) this.#bare.set((' ' + key.toLowerCase()).slice(1), `<${kind}-${n}>`)
    }
    return `<${kind}-${n}>`
  }
}

function isIpv6(value: string): boolean {
  if (!/[0-9A-Fa-f]/.test(value)) return false
  const parts = value.split('::')
  if (parts.length > 2) return false
  const groups = parts.flatMap((part) => (part === '' ? [] : part.split(':')))
  let count = 0
  for (const [i, group] of groups.entries()) {
    if (i === groups.length - 1 && group.includes('.')) count += 2
    else if (/^[0-9A-Fa-f]{1,4}$/.test(group)) count++
    else return false
  }
  return parts.length === 2 ? count <= 7 : count === 8
}

/** An IPv6 address written out in full, so compressed and expanded spellings meet. */
function ipv6Key(value: string): string {
  const [head = '', tail] = value.toLowerCase().split('::')
  const split = (part: string): string[] => (part === '' ? [] : part.split(':'))
  const left = split(head)
  const right = tail === undefined ? [] : split(tail)
  const size = (groups: string[]): number => groups.reduce((n, g) => n + (g.includes('.') ? 2 : 1), 0)
  const zeros = tail === undefined ? [] : Array<string>(8 - size(left) - size(right)).fill('0')
  return [...left, ...zeros, ...right].map((g) => (g.includes('.') ? g : g.replace(/^0+(?=.)/, ''))).join(':')
}

/**
 * A secret rather than a word, path or identifier: upper and lower case and digits mixed (two
 * digits, or a `+`), and not a path whose every segment reads like a name.
 */
function looksRandom(value: string): boolean {
  const digits = value.replace(/\D/g, '').length
  if (!/[a-z]/.test(value) || !/[A-Z]/.test(value) || (digits < 2 && !value.includes('+'))) return false
  const segments = value.split(/[/+_-]/).filter((s) => s !== '')
  return !segments.every((s) => /^(?:[A-Z]?[a-z]+\d*|[a-z0-9]+|[A-Z0-9]+)$/.test(s))
}

/** Epoch seconds or milliseconds from 2001 to 2033: a line's own timestamp, not an id. */
function isEpoch(value: string): boolean {
  const n = Number(value)
  return (n >= 1e9 && n < 2e9) || (n >= 1e12 && n < 2e12)
}
