/**
 * Scores whole sessions against the reference sessions of their kind. Most real incidents that
 * no single line reveals show here: a session that ends without the events its kind always has,
 * an event repeated far more (or fewer) times than ever before, an order of events never seen.
 */
import { byWeight, combine, formatShare } from '../evidence.ts'
import type { Finding } from '../evidence.ts'
import type { TrainingMode } from '../lines/line-model.ts'
import { anyKind } from './session-stats.ts'
import type { KindStats } from './session-stats.ts'
import type { Session } from './session-tracker.ts'

export interface SessionScore {
  id: string
  score: number
  anomaly: boolean
  reasons: string[]
  firstLine: number
  lastLine: number
  lines: number
}

export interface SessionScorerOptions {
  mode: TrainingMode
  threshold: number
  /** Template id → template text, for reasons. */
  templateText: (id: number) => string
  /** Templates seen anywhere in the reference (lines outside sessions included). */
  knownTemplate: (id: number) => boolean
}

/** Below this many reference sessions a kind's habits are not trusted. */
const minSessions = 20
/** Self-trained, an event found in fewer sessions than this is suspect in itself. */
const rareInSessions = 0.05

/** A judged shape of session (see `SessionScorer.score`). */
interface Verdict {
  readonly sequence: readonly number[]
  readonly mayStillRun: boolean
  readonly score: number
  readonly reasons: readonly string[]
}

const memoLimit = 100_000

function sequenceHash(sequence: readonly number[], flag: boolean): number {
  let h = flag ? 0x9e3779b9 : 0x811c9dc5
  for (const t of sequence) h = Math.imul(h ^ t, 16777619)
  return h
}

function sameSequence(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

export class SessionScorer {
  readonly #kinds: ReadonlyMap<string, KindStats>
  readonly #options: SessionScorerOptions
  readonly #memo = new Map<number, Verdict[]>()

  constructor(kinds: ReadonlyMap<string, KindStats>, options: SessionScorerOptions) {
    this.#kinds = kinds
    this.#options = options
  }

  /**
   * `endTs` is the time of the last line read: a session that may still be going on (its last
   * event is more recent than the kind's usual duration) is not blamed for what is missing.
   */
  score(session: Session, endTs: number | null): SessionScore {
    const stats = this.#kinds.get(session.kind) ?? this.#kinds.get(anyKind)
    const subkind = this.#kinds.get(session.subkind)
    const judged = stats !== undefined && stats.sessions >= minSessions
    // A session that may still be going on (its last event is more recent than the kind's
    // usual duration) is not blamed for what is missing.
    const mayStillRun =
      judged && endTs !== null && session.lastTs !== null && stats.durationP99 !== null && endTs - session.lastTs < stats.durationP99
    // The findings depend on the templates in order and on `mayStillRun` alone; most sessions
    // repeat a few such shapes, judged once each (when the sequence holds every line).
    const memo = session.sequence.length === session.lines ? this.#memo : null
    const hash = memo === null ? 0 : sequenceHash(session.sequence, mayStillRun)
    let verdict = memo?.get(hash)?.find((v) => v.mayStillRun === mayStillRun && sameSequence(v.sequence, session.sequence))
    if (verdict === undefined) {
      const findings = judged ? this.#findings(session, stats, subkind, mayStillRun) : []
      const score = combine(findings)
      verdict = { sequence: session.sequence.slice(), mayStillRun, score, reasons: findings.sort(byWeight).map((f) => f.reason) }
      if (memo !== null) {
        if (memo.size >= memoLimit) memo.clear()
        const same = memo.get(hash)
        if (same) same.push(verdict)
        else memo.set(hash, [verdict])
      }
    }
    return {
      id: session.id,
      score: verdict.score,
      anomaly: verdict.score >= this.#options.threshold,
      reasons: verdict.reasons.slice(),
      firstLine: session.firstLine,
      lastLine: session.lastLine,
      lines: session.lines
    }
  }

  #findings(session: Session, stats: KindStats, subkind: KindStats | undefined, mayStillRun: boolean): Finding[] {
    const { mode, templateText } = this.#options
    const reference = mode === 'baseline' ? 'baseline sessions' : 'sessions'
    const findings: Finding[] = []
    const quote = (id: number): string => `'${templateText(id)}'`

    // Events this kind always has.
    // Self-trained, the reference includes the anomalies themselves, so "always" must allow for them.
    const required = mode === 'baseline' ? 0.99 : 0.95
    if (!mayStillRun) {
      const missing: { id: number; share: number }[] = []
      for (const [template, n] of stats.presence) {
        const share = n / stats.sessions
        if (share >= required && !session.counts.has(template)) missing.push({ id: template, share })
      }
      missing.sort((a, b) => b.share - a.share)
      for (const { id, share } of missing.slice(0, 3)) {
        findings.push({ weight: mode === 'baseline' ? 0.8 : 0.65, reason: `session ends without ${quote(id)}, present in ${formatShare(share)} of ${reference}` })
      }
    }

    for (const [template, count] of session.counts) {
      const present = stats.presence.get(template) ?? 0
      if (present === 0) {
        // Never in a session of this kind.
        if (mode === 'baseline') {
          const known = this.#options.knownTemplate(template)
          findings.push({
            weight: known ? 0.5 : 0.85,
            reason: known
              ? `contains ${quote(template)}, never seen in a baseline session of this kind`
              : `contains ${quote(template)}, never seen in baseline`
          })
        }
        continue
      }
      const share = present / stats.sessions
      // Rare among the kind but common among sessions that start the same way: an alternative
      // (one of several search terms, say), not an anomaly.
      const commonInSubkind = subkind !== undefined && (subkind.presence.get(template) ?? 0) / subkind.sessions >= rareInSessions
      if (mode === 'self' && share < rareInSessions && stats.sessions >= 100 && !commonInSubkind) {
        findings.push({ weight: share < 0.01 ? 0.6 : 0.55, reason: `contains ${quote(template)}, present in only ${formatShare(share)} of ${reference}` })
        continue
      }
      const range = stats.counts.get(template)
      if (range && present >= minSessions && (count < range[0] || count > range[1])) {
        findings.push({ weight: 0.45, reason: `${quote(template)} ${count} times, ${reference} had ${range[0]}–${range[1]}` })
      }
    }

    if (mode === 'baseline') {
      let unusual = 0
      for (let i = 1; i < session.sequence.length && unusual < 2; i++) {
        const a = session.sequence[i - 1] as number
        const b = session.sequence[i] as number
        if (stats.presence.has(a) && stats.presence.has(b) && !stats.transitions.has(`${a}>${b}`)) {
          unusual++
          findings.push({ weight: 0.3, reason: `unusual order: ${quote(b)} right after ${quote(a)}, never seen in ${reference}` })
        }
      }
    }
    return findings
  }
}
