/**
 * The filter results a case keeps for the viewer to page through: the latest few, each dropped
 * (its memory given back for the next result, see result-memory.ts) once newer ones push it out.
 */
import type { LineList } from '../case/line-list.ts'

/**
 * Keep this many filter results per case; older ones are dropped (the viewer asks again). The
 * viewer pages one filter at a time; a few more cover a filter replaced while its page loads.
 */
export const maxFiltersPerCase = 4

export interface KeptFilter {
  sourceId: number
  lines: LineList
}

export class KeptFilters {
  readonly #kept = new Map<string, KeptFilter>()
  readonly #capacity: number

  constructor(capacity = maxFiltersPerCase) {
    this.#capacity = capacity
  }

  get size(): number {
    return this.#kept.size
  }

  /** Keeps `filter` under `id`, dropping the oldest beyond the capacity. */
  keep(id: string, filter: KeptFilter): void {
    this.#kept.set(id, filter)
    for (const [oldest, dropped] of this.#kept) {
      if (this.#kept.size <= this.#capacity) break
      this.#kept.delete(oldest)
      dropped.lines.release()
    }
  }

  get(id: string): KeptFilter | undefined {
    return this.#kept.get(id)
  }

  /** Drops every result (the scores changed, or the case closed). */
  clear(): void {
    for (const { lines } of this.#kept.values()) lines.release()
    this.#kept.clear()
  }
}
