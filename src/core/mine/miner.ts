import { WILDCARD, hashTokens, maskMessage, maskMessageInto, maskRangeInto } from './mask-message.ts'
import { DEFAULT_MINER_SETTINGS } from './settings.ts'
import type { MinerSettings } from './settings.ts'
import { collapseRuns, generalize } from './generalize.ts'
import { paramExtractor } from './params.ts'
import type { ParamExtractor } from './params.ts'
import { ParamMatcher } from './param-matcher.ts'

export interface Template {
  readonly id: number
  readonly tokens: readonly string[]
  readonly text: string
  readonly count: number
}

export interface ClusterSnapshot {
  readonly id: number
  readonly tokens: readonly string[]
  readonly count: number
  readonly parent: number
  readonly general: boolean
  /** Hash of the masked shape the template was created from (its lookup key). */
  readonly shape: number
}

/**
 * Everything the miner knows, as plain JSON. Restoring it and mining on gives exactly what one
 * uninterrupted run would have given (the compaction schedule is part of the state).
 */
export interface MinerSnapshot {
  readonly version: 1
  readonly settings: MinerSettings
  readonly clusters: readonly ClusterSnapshot[]
  readonly createdSinceCompact: number
  readonly liveAfterCompact: number
  /** Catch-all template per token count, once `maxTemplates` was reached: [length, id]. */
  readonly overflow: readonly (readonly [number, number])[]
}

interface Cluster {
  readonly id: number
  readonly shape: number
  tokens: string[]
  count: number
  /** Union-find parent; equal to `id` for a live template. */
  parent: number
  /** Whether `tokens` gained wildcards beyond the masks (then it matches by scan, not by key). */
  general: boolean
  /** `tokens.join(' ')`, the parameter extractor and matcher, built on first use; reset when `tokens` change. */
  text: string | undefined
  extractor: ParamExtractor | undefined
  matcher?: ParamMatcher | null | undefined
}

/**
 * Online template miner. A message is masked (numbers, ids, paths… become `<*>`) and joins the
 * template with the same masked tokens, or a generalised template that accepts it. Compaction
 * (run periodically and at the end) merges templates that differ only where a position shows
 * many distinct words, or only in the length of a variable list. `add` mutates; `match` only
 * reads; no I/O. Ids handed out earlier always `resolve` to the final template.
 */
export class TemplateMiner {
  readonly settings: MinerSettings
  readonly #clusters: Cluster[] = []
  /** Masked-shape hash → clusters created from that shape (collisions are verified). */
  readonly #byHash = new Map<number, number[]>()
  readonly #overflowByLength = new Map<number, number>()
  readonly #scratch: string[] = []
  #live = 0
  /** Live generalised templates by token count. */
  readonly #general = new Map<number, number[]>()
  #createdSinceCompact = 0
  #liveAfterCompact = 0
  /**
   * Keys of masked token sequences (see `addKeyed`) → the template their exact lookup found or
   * created. Until the next compaction that lookup finds the same template again: a template's
   * tokens and the clusters under a hash change only by compaction, which clears this.
   */
  readonly #repeats = new Map<number, number>()

  constructor(settings: Partial<MinerSettings> = {}) {
    this.settings = { ...DEFAULT_MINER_SETTINGS, ...settings }
  }

  /** Number of live templates. */
  get size(): number {
    return this.#live
  }

  /** Learns from one message; returns its template id (pass later through `resolve`). */
  add(content: string): number {
    const tokens = this.#scratch
    return this.#learn(tokens, maskMessageInto(content, tokens))
  }

  /** `add(text.slice(from, to))`, masked where the message stands (see `maskRangeInto`). */
  addRange(text: string, from: number, to: number): number {
    const tokens = this.#scratch
    return this.#learn(tokens, maskRangeInto(text, from, to, tokens))
  }

  /**
   * `addRange(text, from, to)` for a message whose masked tokens have `key` (53 bits: the native
   * addon's, see platform/native-addon.ts). A key seen since the last compaction needs no
   * masking: its template is remembered. Any other goes through `addRange`.
   */
  addKeyed(key: number, text: string, from: number, to: number): number {
    const known = this.repeat(key)
    if (known >= 0) return known
    const tokens = this.#scratch
    return this.#learn(tokens, maskRangeInto(text, from, to, tokens), key)
  }

  /**
   * The template of a message with mask key `key`, counted, when `addKeyed` has met the key since
   * the last compaction; else -1 and nothing is counted (the caller then needs the text).
   */
  repeat(key: number): number {
    const known = this.#repeats.get(key)
    if (known === undefined) return -1
    const template = this.#clusters[known] as Cluster
    template.count++
    return known
  }

  /** Learns from already masked tokens (as `maskMessage` returns them). */
  addMasked(tokens: readonly string[]): number {
    return this.#learn(tokens, hashTokens(tokens))
  }

  #learn(tokens: readonly string[], hash: number, key?: number): number {
    // A hash of the masked tokens, verified token by token, finds repeated shapes without
    // building a key string.
    const known = this.#lookup(tokens, hash)
    if (known !== null) {
      known.count++
      if (key !== undefined) this.#repeats.set(key, known.id)
      return known.id
    }
    const general = this.#matchGeneral(tokens)
    if (general !== null) {
      general.count++
      return general.id
    }
    if (this.size >= this.settings.maxTemplates) return this.#overflow(tokens)
    const id = this.#clusters.length
    this.#clusters.push({ id, shape: hash, tokens: tokens.slice(), count: 1, parent: id, general: false, text: undefined, extractor: undefined })
    this.#live++
    this.#index(hash, id)
    if (key !== undefined) this.#repeats.set(key, id)
    // Compaction costs grow with the template count, so the interval grows with it too
    // (amortised: each template is revisited a bounded number of times on average).
    if (++this.#createdSinceCompact >= Math.max(this.settings.compactEvery, this.#liveAfterCompact)) this.compact()
    return id
  }

  /**
   * Past `maxTemplates`, new shapes share one template per token count that generalises as
   * they come: memory stays bounded even on text with no structure at all.
   */
  #overflow(tokens: readonly string[]): number {
    const existing = this.#overflowByLength.get(tokens.length)
    const c = existing === undefined ? undefined : (this.#clusters[this.resolve(existing)] as Cluster)
    if (c !== undefined && c.tokens.length === tokens.length) {
      if (generalize(c.tokens, tokens)) {
        c.general = true
        invalidate(c)
        this.#rebuildGeneral()
      }
      c.count++
      return c.id
    }
    const id = this.#clusters.length
    this.#clusters.push({ id, shape: hashTokens(tokens), tokens: tokens.slice(), count: 1, parent: id, general: false, text: undefined, extractor: undefined })
    this.#live++
    this.#overflowByLength.set(tokens.length, id)
    return id
  }

  /** The template a message belongs to, without learning; null when none accepts it. */
  match(content: string): number | null {
    const tokens = maskMessage(content)
    return (this.#lookup(tokens, hashTokens(tokens)) ?? this.#matchGeneral(tokens))?.id ?? null
  }

  #lookup(tokens: readonly string[], hash: number): Cluster | null {
    const ids = this.#byHash.get(hash)
    if (ids === undefined) return null
    for (const id of ids) {
      const c = this.#clusters[id] as Cluster
      if (accepts(c.tokens, tokens)) return this.#clusters[this.resolve(id)] as Cluster
    }
    return null
  }

  #index(hash: number, id: number): void {
    const ids = this.#byHash.get(hash)
    if (ids === undefined) this.#byHash.set(hash, [id])
    else ids.push(id)
  }

  resolve(id: number): number {
    let root = id
    for (let c = this.#clusters[root]; c !== undefined && c.parent !== root; c = this.#clusters[root]) root = c.parent
    let cur = id
    while (cur !== root) {
      const c = this.#clusters[cur] as Cluster
      cur = c.parent
      c.parent = root
    }
    return root
  }

  template(id: number): Template {
    const c = this.#clusters[this.resolve(id)] as Cluster
    return { id: c.id, tokens: c.tokens, text: (c.text ??= c.tokens.join(' ')), count: c.count }
  }

  /** `template(id).text` without building the template object (the scorer's per-line read). */
  templateText(id: number): string {
    const c = this.#clusters[this.resolve(id)] as Cluster
    return (c.text ??= c.tokens.join(' '))
  }

  /** Live templates, most frequent first (ties by id, so output is deterministic). */
  templates(): Template[] {
    return this.#clusters
      .filter((c) => c.parent === c.id)
      .map((c) => ({ id: c.id, tokens: c.tokens, text: (c.text ??= c.tokens.join(' ')), count: c.count }))
      .sort((a, b) => b.count - a.count || a.id - b.id)
  }

  params(id: number, content: string): string[] {
    const c = this.#clusters[this.resolve(id)] as Cluster
    return (c.extractor ??= paramExtractor(c.tokens))(content)
  }

  /** Template `id`'s params as the native addon finds them in a batch's bytes (see param-matcher.ts); null: use `params`. */
  paramMatcher(id: number): ParamMatcher | null {
    const c = this.#clusters[this.resolve(id)] as Cluster
    if (c.matcher === undefined) c.matcher = ParamMatcher.for(c.tokens)
    return c.matcher
  }

  /** Merges templates the online pass keeps apart; idempotent, deterministic. */
  compact(): void {
    this.#repeats.clear()
    this.#createdSinceCompact = 0
    let changed = true
    while (changed) {
      changed = this.#mergeCollapsedRuns()
      for (const list of this.#liveByLength().values()) {
        if (this.#mergeVariablePositions(list)) changed = true
        if (this.#mergeSubsumed(list)) changed = true
      }
    }
    this.#rebuildGeneral()
    this.#liveAfterCompact = this.size
  }

  #rebuildGeneral(): void {
    this.#general.clear()
    for (const c of this.#clusters) {
      if (c.parent !== c.id || !c.general) continue
      const list = this.#general.get(c.tokens.length) ?? []
      list.push(c.id)
      this.#general.set(c.tokens.length, list)
    }
  }

  toSnapshot(): MinerSnapshot {
    return {
      version: 1,
      settings: this.settings,
      clusters: this.#clusters.map((c) => ({ id: c.id, tokens: c.tokens.slice(), count: c.count, parent: c.parent, general: c.general, shape: c.shape })),
      createdSinceCompact: this.#createdSinceCompact,
      liveAfterCompact: this.#liveAfterCompact,
      overflow: [...this.#overflowByLength]
    }
  }

  static fromSnapshot(snapshot: MinerSnapshot): TemplateMiner {
    if (snapshot.version !== 1) throw new Error(`unsupported miner snapshot version ${String(snapshot.version)}`)
    const miner = new TemplateMiner(snapshot.settings)
    snapshot.clusters.forEach((c, i) => {
      if (c.id !== i || c.parent < 0 || c.parent >= snapshot.clusters.length) throw new Error('corrupt miner snapshot')
      miner.#clusters.push({ id: c.id, shape: c.shape, tokens: c.tokens.slice(), count: c.count, parent: c.parent, general: c.general, text: undefined, extractor: undefined })
      if (c.parent === c.id) miner.#live++
    })
    // Same index, in the same order, as the run that wrote the snapshot (overflow templates
    // were never indexed).
    const overflow = new Set(snapshot.overflow.map(([, id]) => id))
    for (const c of miner.#clusters) if (!overflow.has(c.id)) miner.#index(c.shape, c.id)
    for (const [length, id] of snapshot.overflow) miner.#overflowByLength.set(length, id)
    miner.#createdSinceCompact = snapshot.createdSinceCompact
    miner.#liveAfterCompact = snapshot.liveAfterCompact
    miner.#rebuildGeneral()
    return miner
  }

  #matchGeneral(tokens: readonly string[]): Cluster | null {
    const list = this.#general.get(tokens.length)
    if (list === undefined) return null
    for (const id of list) {
      const c = this.#clusters[id] as Cluster
      if (accepts(c.tokens, tokens)) return this.#clusters[this.resolve(id)] as Cluster
    }
    return null
  }

  #liveByLength(): Map<number, Cluster[]> {
    const byLength = new Map<number, Cluster[]>()
    for (const c of this.#clusters) {
      if (c.parent !== c.id) continue
      const list = byLength.get(c.tokens.length) ?? []
      list.push(c)
      byLength.set(c.tokens.length, list)
    }
    return byLength
  }

  /** `stack @<*> @<*>)` and `stack @<*> @<*> @<*>)` are one template with a variable list. */
  #mergeCollapsedRuns(): boolean {
    const byKey = new Map<string, Cluster>()
    let changed = false
    for (const c of this.#clusters) {
      if (c.parent !== c.id) continue
      const key = collapseRuns(c.tokens).join(' ')
      const into = byKey.get(key)
      if (into === undefined) byKey.set(key, c)
      else {
        this.#union(into, c)
        changed = true
      }
    }
    return changed
  }

  /**
   * For each position, groups same-length templates that agree everywhere else. A group whose
   * values at the position are many distinct words (or already a wildcard) is one template.
   */
  #mergeVariablePositions(list: Cluster[]): boolean {
    if (list.length < 2) return false
    const length = list[0]?.tokens.length ?? 0
    let changed = false
    for (let p = 0; p < length; p++) {
      const groups = new Map<string, Cluster[]>()
      for (const c of list) {
        if (c.parent !== c.id) continue
        const key = c.tokens.slice(0, p).join(' ') + '\u0000' + c.tokens.slice(p + 1).join(' ')
        const g = groups.get(key)
        if (g === undefined) groups.set(key, [c])
        else g.push(c)
      }
      for (const g of groups.values()) {
        if (g.length < 2) continue
        const values = new Set(g.map((c) => c.tokens[p] as string))
        const enough = values.size >= this.settings.minVariableValues || (values.size >= 2 && identifierLike(values))
        // The first word is the message's subject (`cupsd startup succeeded`): a variable only
        // when the masks already say so.
        if (!covered(values) && (p === 0 || !enough)) continue
        // A template must stay mostly constant words, else unrelated short messages collapse.
        const first = g[0] as Cluster
        let constants = 0
        for (let i = 0; i < length; i++) if (i !== p && informative(first.tokens[i] as string)) constants++
        if (constants * 2 < length) continue
        const root = g.reduce((a, b) => (a.id < b.id ? a : b))
        for (const c of g) if (c !== root) this.#union(root, c)
        changed = true
      }
    }
    return changed
  }

  /** Templates that a generalised template already accepts join it (as new messages would). */
  #mergeSubsumed(list: Cluster[]): boolean {
    let changed = false
    for (const g of list) {
      if (g.parent !== g.id || !g.general) continue
      for (const c of list) {
        if (c === g || c.parent !== c.id || !subsumes(g.tokens, c.tokens)) continue
        this.#union(g, c)
        changed = true
        if (g.parent !== g.id) break
      }
    }
    return changed
  }

  #union(into: Cluster, from: Cluster): void {
    const [root, child] = into.id < from.id ? [into, from] : [from, into]
    if (root.tokens.length === child.tokens.length) {
      if (generalize(root.tokens, child.tokens)) root.general = true
    } else {
      root.tokens = collapseRuns(root.tokens)
      root.general = true
    }
    invalidate(root)
    root.count += child.count
    child.parent = root.id
    this.#live--
  }
}

/** Forgets what was derived from a template's tokens (they just changed). */
function invalidate(c: Cluster): void {
  c.text = undefined
  c.extractor = undefined
  c.matcher = undefined
}

/**
 * Values one of which, read as a pattern (`<*>` = anything), covers all the others: `(<*>)` and
 * `()`, `ws=<*>` and `ws=<*>{<*>}`, `<*>` and `pwd` are one variable slot.
 */
function covered(values: ReadonlySet<string>): boolean {
  for (const v of values) {
    if (!v.includes(WILDCARD)) continue
    const re = wildcardPattern(v)
    let all = true
    for (const w of values) if (w !== v && !re.test(w)) all = false
    if (all) return true
  }
  return false
}

const patterns = new Map<string, RegExp>()
function wildcardPattern(token: string): RegExp {
  let re = patterns.get(token)
  if (re === undefined) {
    re = new RegExp('^' + token.split(WILDCARD).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's')
    if (patterns.size > 10_000) patterns.clear()
    patterns.set(token, re)
  }
  return re
}

/** Code identifiers (`android.intent.action.TIME_TICK`, `CONTAINER_REMOTE_LAUNCH`) name values, not events. */
function identifierLike(values: ReadonlySet<string>): boolean {
  for (const v of values) if (!/[A-Za-z]\.[A-Za-z]|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(v)) return false
  return true
}

/** Token-wise: `general` accepts every token of `specific` (a wildcard covers anything). */
function subsumes(general: readonly string[], specific: readonly string[]): boolean {
  for (let i = 0; i < general.length; i++) {
    const g = general[i] as string
    const s = specific[i] as string
    if (g === s || g === WILDCARD) continue
    if (!g.includes(WILDCARD) || !wildcardPattern(g).test(s)) return false
  }
  return true
}

/** A token that says something beyond its variable: a word, or a key such as `lock=<*>,`. */
function informative(token: string): boolean {
  return /[A-Za-z]/.test(token.includes(WILDCARD) ? token.replaceAll(WILDCARD, '') : token)
}

/** Whether a template accepts masked tokens: equal everywhere except its wildcard positions. */
function accepts(template: readonly string[], tokens: readonly string[]): boolean {
  for (let i = 0; i < template.length; i++) {
    const t = template[i]
    if (t !== WILDCARD && t !== tokens[i]) return false
  }
  return true
}
