/**
 * Finding the identifier that ties lines into sessions (a block id, a request or trace id, a job
 * or container id) without being told. Each candidate pattern is tried on a sample; the winner
 * covers many lines and groups them into sessions of several lines each. `--session-key <regex>`
 * overrides (its first capture group, or the whole match, is the id).
 */

export interface SessionKey {
  /** Human-readable name for reports. */
  name: string
  /** Global regex; group 1 (or the match) is the id. */
  pattern: RegExp
}

export interface SessionKeySnapshot {
  name: string
  source: string
  flags: string
}

/** The keys tried when none is given, in order (native-heads.ts knows them by their number). */
export const builtinSessionKeys: readonly SessionKey[] = [
  { name: 'block id (blk_…)', pattern: /\b(blk_-?\d+)\b/g },
  {
    name: 'request/trace id (key=value)',
    pattern: /\b(?:trace|trace_?id|traceid|span_?id|request_?id|req_?id|requestid|correlation_?id|x-request-id|txn_?id|transaction_?id|session_?id)[=:]\s*"?([\w.:-]{6,})/gi
  },
  { name: 'job/task/container id', pattern: /\b((?:application|container|job|task|attempt|appattempt)_[\d_]+(?:_[mr]_[\d_]+)?)\b/g },
  { name: 'UUID', pattern: /\b([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\b/gi }
]

/**
 * Which built-in key this is, by its place among them (1: block ids, 2: request ids, 3: job ids,
 * 4: UUIDs; see native-heads.ts), or 0 for any other (a user's pattern).
 */
export function builtinKeyNumber(key: SessionKey): number {
  return builtinSessionKeys.findIndex((c) => c.pattern.source === key.pattern.source && c.pattern.flags === key.pattern.flags) + 1
}

export function userSessionKey(source: string): SessionKey {
  let pattern: RegExp
  try {
    pattern = new RegExp(source, 'g')
  } catch (error) {
    throw new Error(`Invalid --session-key pattern: ${error instanceof Error ? error.message : String(error)}`)
  }
  return { name: `pattern ${source}`, pattern }
}

/** Lines read to find a session key when none is given. */
export const keySampleLines = 5_000

/**
 * Distinct ids on a line, in order of appearance. An `exec` loop rather than `matchAll`, which
 * clones the pattern on every call (the same matches: the pattern is global).
 */
export function sessionIds(key: SessionKey, text: string): string[] {
  return collectIds(key, text, 0, [])
}

/**
 * `sessionIds(key, text)` when its first id is known and ends at `from` (a reader found it):
 * only the rest of the line is scanned. The same ids for the built-in keys, whose matches end
 * with their id.
 */
export function sessionIdsAfter(key: SessionKey, text: string, first: string, from: number): string[] {
  return collectIds(key, text, from, [first])
}

function collectIds(key: SessionKey, text: string, from: number, ids: string[]): string[] {
  const re = key.pattern
  re.lastIndex = from
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    if (match[0] === '') re.lastIndex = advance(text, re)
    const id = match[1] ?? match[0]
    if (id && !ids.includes(id)) ids.push(id)
  }
  re.lastIndex = 0
  return ids
}

/** `sessionIds(key, text)[0]` and where it stands in `text` (start index), or null: no array, no scan past it. */
export function firstSessionId(key: SessionKey, text: string): { id: string; start: number } | null {
  const re = key.pattern
  re.lastIndex = 0
  for (let match = re.exec(text); match !== null; match = re.exec(text)) {
    if (match[0] === '') re.lastIndex = advance(text, re)
    const id = match[1] ?? match[0]
    if (id) {
      re.lastIndex = 0
      // The id is a substring of the match: any of its occurrences there has the same text.
      return { id, start: match.index + match[0].indexOf(id) }
    }
  }
  re.lastIndex = 0
  return null
}

/** Past an empty match, as `matchAll` steps (by code point under the `u` or `v` flag). */
function advance(text: string, re: RegExp): number {
  const at = re.lastIndex
  if (at < text.length && /[uv]/.test(re.flags)) {
    const c = text.charCodeAt(at)
    if (c >= 0xd800 && c <= 0xdbff && at + 1 < text.length) {
      const d = text.charCodeAt(at + 1)
      if (d >= 0xdc00 && d <= 0xdfff) return at + 2
    }
  }
  return at + 1
}

/** The best candidate for these sample lines, or null when no candidate groups them well. */
export function detectSessionKey(sample: readonly string[]): SessionKey | null {
  let best: { key: SessionKey; score: number } | null = null
  for (const key of builtinSessionKeys) {
    const sizes = new Map<string, number>()
    let covered = 0
    for (const line of sample) {
      const ids = sessionIds(key, line)
      if (ids.length > 0) covered++
      for (const id of ids) sizes.set(id, (sizes.get(id) ?? 0) + 1)
    }
    if (sizes.size < 5) continue
    const coverage = covered / Math.max(1, sample.length)
    const linesPerSession = [...sizes.values()].reduce((a, b) => a + b, 0) / sizes.size
    // Sessions of one line each are just unique values, not sessions.
    if (coverage < 0.2 || linesPerSession < 2) continue
    const score = coverage * Math.min(1, Math.log2(linesPerSession) / 2)
    if (!best || score > best.score) best = { key, score }
  }
  return best?.key ?? null
}

export function sessionKeyToSnapshot(key: SessionKey): SessionKeySnapshot {
  return { name: key.name, source: key.pattern.source, flags: key.pattern.flags }
}

export function sessionKeyFromSnapshot(snapshot: SessionKeySnapshot): SessionKey {
  return { name: snapshot.name, pattern: new RegExp(snapshot.source, snapshot.flags) }
}
