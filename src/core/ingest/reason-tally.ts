/**
 * The flagged lines' commonest reasons, counted as the ingest flags them. Line scores are cached
 * and shared by every line with the same verdict, so the tally counts score objects (an identity
 * lookup per flagged line) and spells out their reasons once at the end. At 10M lines this
 * replaced a query over every stored anomaly that took half a second after the last line.
 */
import { compareCodePoints } from '../../shared/code-point-order.ts'
import type { ReasonCount } from './types.ts'

/** Past this many distinct score objects (a scorer that does not share them) the tally gives up. */
const maxVerdicts = 50_000

export class ReasonTally {
  readonly #verdicts = new Map<{ readonly reasons: readonly string[] }, number>()
  #given = false

  add(verdict: { readonly reasons: readonly string[] }): void {
    if (this.#given) return
    this.#verdicts.set(verdict, (this.#verdicts.get(verdict) ?? 0) + 1)
    if (this.#verdicts.size > maxVerdicts) {
      this.#given = true
      this.#verdicts.clear()
    }
  }

  /**
   * The `limit` commonest reasons, most first, ties in code point order (SQLite's for UTF-8
   * text); null when the tally gave up (ask the stored anomalies instead).
   */
  top(limit: number): ReasonCount[] | null {
    if (this.#given) return null
    const counts = new Map<string, number>()
    for (const [verdict, n] of this.#verdicts) for (const reason of verdict.reasons) counts.set(reason, (counts.get(reason) ?? 0) + n)
    return [...counts]
      .sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]))
      .slice(0, limit)
      .map(([reason, count]) => ({ reason, count }))
  }
}
