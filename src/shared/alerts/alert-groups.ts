/**
 * Groups live alerts for display: alerts of the same template within a time window become one
 * group with a count, so a flood of one failure reads as one line that counts up. Groups are
 * listed newest first (the group an alert last joined comes first). Memory is bounded: past
 * `maxGroups`, the group updated longest ago is dropped, and the alerts it held are counted in
 * `dropped`, so `sum(counts) + dropped` always equals the alerts added.
 *
 * A group's window is anchored at its first alert: an alert joins the latest group of its
 * template when its time is less than `windowMs` from that group's first alert (either side: log
 * times can step back a little), so a steady stream of one template gives one group per window,
 * each with its own count. Pure data, no clock: callers
 * say what an alert's time is (its log timestamp, or when it arrived).
 */

export interface GroupableAlert {
  /** Groups are per template. */
  readonly templateId: number
  /** Epoch ms the window is measured in. */
  readonly time: number
  readonly score: number
}

export interface AlertGroup<A extends GroupableAlert> {
  /** Stable id, in order of creation. */
  readonly id: number
  readonly templateId: number
  readonly first: A
  /** The newest alert of the group. */
  readonly last: A
  readonly count: number
  readonly maxScore: number
}

export interface AlertGroupOptions {
  /** Alerts of a template less than this after the group's first alert join it (default 60 s). */
  readonly windowMs?: number
  /** Groups kept (default 500); the least recently updated are dropped beyond. */
  readonly maxGroups?: number
}

interface MutableGroup<A extends GroupableAlert> {
  id: number
  templateId: number
  first: A
  last: A
  count: number
  maxScore: number
}

export const defaultAlertWindowMs = 60_000

export class AlertGroups<A extends GroupableAlert> {
  readonly windowMs: number
  readonly maxGroups: number
  /** Groups by id in update order: the last entry is the newest (Map keeps insertion order). */
  readonly #groups = new Map<number, MutableGroup<A>>()
  /** Template → its latest group, the only one an alert can still join. */
  readonly #open = new Map<number, MutableGroup<A>>()
  #nextId = 1
  #added = 0
  #dropped = 0

  constructor(options: AlertGroupOptions = {}) {
    this.windowMs = options.windowMs ?? defaultAlertWindowMs
    this.maxGroups = Math.max(1, options.maxGroups ?? 500)
  }

  /** Alerts added so far. */
  get added(): number {
    return this.#added
  }

  /** Alerts that were in groups dropped to bound memory. */
  get dropped(): number {
    return this.#dropped
  }

  get size(): number {
    return this.#groups.size
  }

  /** Adds an alert; returns the group it is now in (new or joined). */
  add(alert: A): AlertGroup<A> {
    this.#added++
    const open = this.#open.get(alert.templateId)
    if (open !== undefined && Math.abs(alert.time - open.first.time) < this.windowMs) {
      open.count++
      open.last = alert
      if (alert.score > open.maxScore) open.maxScore = alert.score
      // Move to the newest end.
      this.#groups.delete(open.id)
      this.#groups.set(open.id, open)
      return { ...open }
    }
    const group: MutableGroup<A> = { id: this.#nextId++, templateId: alert.templateId, first: alert, last: alert, count: 1, maxScore: alert.score }
    this.#groups.set(group.id, group)
    this.#open.set(alert.templateId, group)
    if (this.#groups.size > this.maxGroups) this.#dropOldest()
    return { ...group }
  }

  /** Groups newest first (at most `limit`). */
  list(limit = Number.POSITIVE_INFINITY): AlertGroup<A>[] {
    const all = [...this.#groups.values()]
    const out: AlertGroup<A>[] = []
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) out.push({ ...(all[i] as MutableGroup<A>) })
    return out
  }

  clear(): void {
    this.#groups.clear()
    this.#open.clear()
    this.#dropped = 0
    this.#added = 0
  }

  #dropOldest(): void {
    const oldest = this.#groups.values().next().value
    if (oldest === undefined) return
    this.#groups.delete(oldest.id)
    if (this.#open.get(oldest.templateId) === oldest) this.#open.delete(oldest.templateId)
    this.#dropped += oldest.count
  }
}

/** One-shot grouping of a list of alerts (in arrival order), newest group first. */
export function groupAlerts<A extends GroupableAlert>(alerts: Iterable<A>, options: AlertGroupOptions = {}): AlertGroup<A>[] {
  const groups = new AlertGroups<A>(options)
  for (const alert of alerts) groups.add(alert)
  return groups.list()
}
