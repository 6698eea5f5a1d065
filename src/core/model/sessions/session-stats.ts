/**
 * What sessions of each kind looked like in the reference data: which templates they always
 * contain, how many times each, which template follows which, and how long they last.
 * Kinds with too few sessions are pooled into one "any" kind.
 */
import type { Session } from './session-tracker.ts'

export interface KindStatsSnapshot {
  kind: string
  sessions: number
  /** Template → sessions containing it. */
  presence: Record<string, number>
  /** Template → [min, max] occurrences in a session that contains it. */
  counts: Record<string, [number, number]>
  /** "a>b" transitions seen. */
  transitions: string[]
  /** 99th percentile of session duration (ms), null when lines carry no time. */
  durationP99: number | null
}

export const anyKind = '*'
const minSessionsPerKind = 20
const maxTransitions = 20_000
/** Template ids below this pair into one exact number (2^26 squared stays within 2^53). */
const idSpan = 2 ** 26

export class KindStats {
  readonly kind: string
  sessions = 0
  readonly presence = new Map<number, number>()
  readonly counts = new Map<number, [number, number]>()
  readonly transitions = new Set<string>()
  /** The transitions as numbers, to skip known ones without building their string (most are known). */
  readonly #seen = new Set<number>()
  durationP99: number | null = null

  constructor(kind: string) {
    this.kind = kind
  }

  observe(session: Session): void {
    this.sessions++
    for (const [template, count] of session.counts) {
      this.presence.set(template, (this.presence.get(template) ?? 0) + 1)
      const range = this.counts.get(template)
      if (!range) this.counts.set(template, [count, count])
      else {
        if (count < range[0]) range[0] = count
        if (count > range[1]) range[1] = count
      }
    }
    const sequence = session.sequence
    for (let i = 1; i < sequence.length && this.transitions.size < maxTransitions; i++) {
      const a = sequence[i - 1] as number
      const b = sequence[i] as number
      const small = a >= 0 && b >= 0 && a < idSpan && b < idSpan
      if (small && this.#seen.has(a * idSpan + b)) continue
      if (small) this.#seen.add(a * idSpan + b)
      this.transitions.add(`${a}>${b}`)
    }
  }

  toSnapshot(): KindStatsSnapshot {
    return {
      kind: this.kind,
      sessions: this.sessions,
      presence: Object.fromEntries(this.presence),
      counts: Object.fromEntries(this.counts),
      transitions: [...this.transitions],
      durationP99: this.durationP99
    }
  }

  static fromSnapshot(snapshot: KindStatsSnapshot): KindStats {
    const stats = new KindStats(snapshot.kind)
    stats.sessions = snapshot.sessions
    for (const [template, n] of Object.entries(snapshot.presence)) stats.presence.set(Number(template), n)
    for (const [template, range] of Object.entries(snapshot.counts)) stats.counts.set(Number(template), [range[0], range[1]])
    for (const t of snapshot.transitions) stats.transitions.add(t)
    stats.durationP99 = snapshot.durationP99
    return stats
  }
}

/** Builds per-kind (and per-subkind) statistics from finished sessions. */
export function buildKindStats(sessions: Iterable<Session>): Map<string, KindStats> {
  const byKind = new Map<string, Session[]>()
  const bySubkind = new Map<string, Session[]>()
  const file = (map: Map<string, Session[]>, key: string, session: Session): void => {
    const list = map.get(key)
    if (list) list.push(session)
    else map.set(key, [session])
  }
  for (const session of sessions) {
    file(byKind, session.kind, session)
    if (session.subkind !== session.kind) file(bySubkind, session.subkind, session)
  }
  const stats = new Map<string, KindStats>()
  const pooled = new KindStats(anyKind)
  const pooledDurations: number[] = []
  for (const [kind, list] of byKind) {
    const durations = list.flatMap((s) => (s.firstTs !== null && s.lastTs !== null ? [s.lastTs - s.firstTs] : []))
    for (const session of list) pooled.observe(session)
    // Not `push(...durations)`: a kind with ~100k sessions overflows the call stack.
    for (const d of durations) pooledDurations.push(d)
    if (list.length < minSessionsPerKind) continue
    const kindStats = new KindStats(kind)
    for (const session of list) kindStats.observe(session)
    kindStats.durationP99 = percentile(durations, 0.99)
    stats.set(kind, kindStats)
  }
  pooled.durationP99 = percentile(pooledDurations, 0.99)
  stats.set(anyKind, pooled)
  for (const [subkind, list] of bySubkind) {
    if (list.length < minSessionsPerKind) continue
    const subkindStats = new KindStats(subkind)
    for (const session of list) subkindStats.observe(session)
    stats.set(subkind, subkindStats)
  }
  return stats
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? null
}
