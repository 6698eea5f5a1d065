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
  reasons: readonly string[]
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

function sequenceHash(templates: ArrayLike<number>, from: number, to: number, flag: boolean): number {
  let h = flag ? 0x9e3779b9 : 0x811c9dc5
  for (let i = from; i < to; i++) h = Math.imul(h ^ (templates[i] as number), 16777619)
  return h
}

function sameSequence(a: readonly number[], templates: ArrayLike<number>, from: number, to: number): boolean {
  if (a.length !== to - from) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== templates[from + i]) return false
  return true
}

export class SessionScorer {
  readonly #kinds: ReadonlyMap<string, KindStats>
  readonly #options: SessionScorerOptions
  readonly #memo = new Map<number, Verdict[]>()

  /** Kind stats by first template id (`#kindOf`), rather than a string made and looked up per session. */
  readonly #byFirst: (KindStats | null)[] = []

  constructor(kinds: ReadonlyMap<string, KindStats>, options: SessionScorerOptions) {
    this.#kinds = kinds
    this.#options = options
  }

  /**
   * `endTs` is the time of the last line read: a session that may still be going on (its last
   * event is more recent than the kind's usual duration) is not blamed for what is missing.
   */
  score(session: Session, endTs: number | null): SessionScore {
    const { sequence } = session
    const { score, reasons } = this.judge(sequence, 0, sequence.length, sequence.length === session.lines, session.lastTs, endTs, () => session)
    return {
      id: session.id,
      score,
      anomaly: this.isAnomaly(score),
      reasons: reasons.slice(),
      firstLine: session.firstLine,
      lastLine: session.lastLine,
      lines: session.lines
    }
  }

  /** The stats of sessions starting with `first`, else those of all kinds pooled. */
  #kindOf(first: number): KindStats | undefined {
    let stats = this.#byFirst[first]
    if (stats === undefined) stats = this.#byFirst[first] = this.#kinds.get(String(first)) ?? this.#kinds.get(anyKind) ?? null
    return stats ?? undefined
  }

  isAnomaly(score: number): boolean {
    return score >= this.#options.threshold
  }

  /**
   * `score`'s verdict for the session whose templates, in order, are `templates[from, to)`
   * (`complete`: every line of it, else the first ones). The findings depend on that order and
   * on whether the session may still be running, nothing else; most sessions repeat a few such
   * shapes, each judged once, and `build` makes the session only for a shape not seen yet.
   */
  judge(
    templates: ArrayLike<number>,
    from: number,
    to: number,
    complete: boolean,
    lastTs: number | null,
    endTs: number | null,
    build: () => Session
  ): { readonly score: number; readonly reasons: readonly string[] } {
    const stats = this.#kindOf(templates[from] as number)
    const judged = stats !== undefined && stats.sessions >= minSessions
    const mayStillRun = judged && endTs !== null && lastTs !== null && stats.durationP99 !== null && endTs - lastTs < stats.durationP99
    const memo = complete ? this.#memo : null
    const hash = memo === null ? 0 : sequenceHash(templates, from, to, mayStillRun)
    let verdict: Verdict | undefined
    // A plain loop, no closure per call: a run's sessions are judged once, mostly before V8 has
    // optimised this, so what each call does unoptimised is what counts (~200,000 calls per 1M lines).
    const same = memo?.get(hash)
    if (same !== undefined) {
      for (const v of same) {
        if (v.mayStillRun === mayStillRun && sameSequence(v.sequence, templates, from, to)) {
          verdict = v
          break
        }
      }
    }
    if (verdict === undefined) {
      const session = build()
      const findings = judged ? this.#findings(session, stats, this.#kinds.get(session.subkind), mayStillRun) : []
      verdict = { sequence: Array.from(session.sequence), mayStillRun, score: combine(findings), reasons: findings.sort(byWeight).map((f) => f.reason) }
      if (memo !== null) {
        if (memo.size >= memoLimit) memo.clear()
        const same = memo.get(hash)
        if (same) same.push(verdict)
        else memo.set(hash, [verdict])
      }
    }
    // Shared by every session of the shape: not to be changed.
    return verdict
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
