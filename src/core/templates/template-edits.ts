/**
 * The user's edits of a case's templates, because no miner is perfect: merge several templates
 * into one, or split one on a parameter position (its commonest values become templates of their
 * own, "T with v in place of <*>"). Each edit is a row of `template_edits` recording exactly what
 * it changed, so undoing it is exact. Edits apply in order and only the last one is undone: an
 * earlier edit cannot be taken back without re-deriving every later one against another history.
 *
 * Where an edit lives, and why there:
 * - The case's miner state is edited as the miner itself would have: a merged template's cluster
 *   points (union-find parent) at the one it joined, so the re-score's template map, the session
 *   pass and a later tail append all resolve its lines to the kept template without knowing of
 *   edits. A split adds one cluster per new template, merged into the split template from birth:
 *   their ids are reserved (nothing mines them again) and every re-score judges their lines as
 *   the split template's lines, against its parameter statistics, so a value the baseline showed
 *   is not new while an unseen one still stands out (the model itself needs no change).
 * - A split rewrites the template column of the moved lines in the blocks (one transaction with
 *   everything else) rather than keeping a per-line mapping: every reader (viewer, filters,
 *   posting lists, timeline, panel) then sees the split with no change of its own, and the
 *   rewrite touches only the blocks holding the template's lines.
 * - The templates table holds the view: merged rows point at the kept one (`canonical_id`, which
 *   filters already follow), split rows are canonical rows of their own.
 * A merge also changes the model (see merged-model.ts); the model before it is kept with the
 * edit, so an undo scores with it again.
 */
import { createHash } from 'node:crypto'
import type { CaseStore } from '../case/case-store.ts'
import { lineFlag } from '../case/block-codec.ts'
import { storedContent, storedRecords } from '../case/case-records.ts'
import { createLineSplitter } from '../format/index.ts'
import type { FormatSpec } from '../format/index.ts'
import { parseCheckpoint } from '../ingest/miner-checkpoint.ts'
import type { MinerCheckpoint } from '../ingest/miner-checkpoint.ts'
import { TemplateMiner, WILDCARD } from '../mine/index.ts'
import type { ClusterSnapshot, MinerSnapshot } from '../mine/index.ts'
import { mergeTokens } from '../mine/generalize.ts'
import { reindexTemplateColumn, rewriteTemplateColumn } from './template-column.ts'

export type TemplateEditKind = 'merge' | 'split'

interface RowBefore {
  id: number
  canonicalId: number
  count: number
  text: string
  firstTs: number | null
  lastTs: number | null
}

export interface MergePayload {
  readonly into: number
  readonly from: readonly number[]
  /** The rows the merge rewrote, as they were. */
  readonly rows: readonly RowBefore[]
  /** Miner clusters re-parented: [cluster, its parent before]. */
  readonly parents: readonly (readonly [number, number])[]
  /**
   * The miner's root for the merged template: `into`, unless the model knows another of them and
   * not `into` (then lines judged as that one count as known, with its baseline count).
   */
  readonly root: number
  /** The root cluster's tokens and `general` before they were generalised (null: unchanged). */
  readonly tokens: { readonly tokens: readonly string[]; readonly general: boolean } | null
  /** Digest of the model the merge produced, to tell whether the case still scores with it. */
  readonly modelDigest: string | null
}

export interface SplitPart {
  readonly value: string
  /** The new template (canonical row). */
  readonly id: number
  /** [new raw id, the raw id its lines had]: one per raw id of the split template holding the value. */
  readonly pairs: readonly (readonly [number, number])[]
  /** Records moved. */
  readonly count: number
}

export interface SplitPayload {
  readonly templateId: number
  readonly position: number
  readonly parts: readonly SplitPart[]
}

export type TemplateEdit =
  | { readonly id: number; readonly kind: 'merge'; readonly createdAt: number; readonly payload: MergePayload }
  | { readonly id: number; readonly kind: 'split'; readonly createdAt: number; readonly payload: SplitPayload }

/** How many of a position's values a split makes templates of (the rest stay in the template). */
export const maxSplitParts = 8

export function templateEdits(store: CaseStore): TemplateEdit[] {
  const rows = store.db.prepare(`SELECT id, kind, payload, created_at FROM template_edits ORDER BY id`).all() as {
    id: number
    kind: TemplateEditKind
    payload: string
    created_at: number
  }[]
  return rows.map((r) =>
    r.kind === 'merge'
      ? { id: r.id, kind: 'merge', createdAt: r.created_at, payload: JSON.parse(r.payload) as MergePayload }
      : { id: r.id, kind: 'split', createdAt: r.created_at, payload: JSON.parse(r.payload) as SplitPayload }
  )
}

/** The model the case scored with before edit `editId`, when that edit changed it (a merge). */
export function modelBefore(store: CaseStore, editId: number): string | null {
  return (store.db.prepare(`SELECT model_before FROM template_edits WHERE id = ?`).pluck().get(editId) as string | null | undefined) ?? null
}

export function modelDigest(serialized: string): string {
  return createHash('sha256').update(serialized).digest('hex')
}

/** A bad edit request: the message says what to fix. */
export class TemplateEditError extends Error {
  readonly code: 'not_found' | 'invalid_params' | 'conflict'
  constructor(code: 'not_found' | 'invalid_params' | 'conflict', message: string) {
    super(message)
    this.code = code
  }
}

interface TemplateTableRow {
  id: number
  canonical_id: number
  count: number
  text: string
  first_ts: number | null
  last_ts: number | null
}

function canonicalRow(store: CaseStore, id: number): TemplateTableRow {
  const row = store.db.prepare(`SELECT id, canonical_id, count, text, first_ts, last_ts FROM templates WHERE id = ?`).get(id) as TemplateTableRow | undefined
  if (!row) throw new TemplateEditError('not_found', `the case has no template ${id}`)
  if (row.canonical_id !== row.id) throw new TemplateEditError('invalid_params', `template ${id} was merged into ${row.canonical_id}; edit that one`)
  return row
}

function checkpointOf(store: CaseStore): MinerCheckpoint {
  const saved = store.minerState()
  if (saved === null) throw new TemplateEditError('invalid_params', 'the case has no templates yet')
  return parseCheckpoint(saved)
}

function saveCheckpoint(store: CaseStore, checkpoint: MinerCheckpoint): void {
  store.putMinerState(JSON.stringify(checkpoint))
}

/** Checks a merge before anything changes (so a request can be refused at once). */
export function checkMerge(store: CaseStore, into: number, from: readonly number[]): void {
  if (from.length === 0) throw new TemplateEditError('invalid_params', 'choose at least two templates to merge')
  if (new Set([into, ...from]).size !== from.length + 1) throw new TemplateEditError('invalid_params', 'a template cannot be merged with itself')
  for (const id of [into, ...from]) canonicalRow(store, id)
}

/**
 * Merges templates `from` into `into` in the case (the miner, the table; lines keep their raw
 * ids). `before`: the serialized model the case scored with, kept for undo; `digest`: the merged
 * model's. Returns the edit's id.
 */
export function mergeTemplates(
  store: CaseStore,
  edit: { into: number; from: readonly number[]; root?: number | undefined },
  now: number,
  model: { before: string; digest: string } | null = null
): number {
  checkMerge(store, edit.into, edit.from)
  const db = store.db
  const ids = [edit.into, ...edit.from]
  const marks = ids.map(() => '?').join(', ')
  const rows = (db.prepare(`SELECT id, canonical_id, count, text, first_ts, last_ts FROM templates WHERE canonical_id IN (${marks})`).all(...ids) as TemplateTableRow[]).map(
    (r): RowBefore => ({ id: r.id, canonicalId: r.canonical_id, count: r.count, text: r.text, firstTs: r.first_ts, lastTs: r.last_ts })
  )
  const canonical = rows.filter((r) => r.id === r.canonicalId)
  const checkpoint = checkpointOf(store)
  const clusters = checkpoint.miner.clusters.map((c) => ({ ...c, tokens: [...c.tokens] }))
  const root = edit.root !== undefined && ids.includes(edit.root) ? edit.root : edit.into
  const kept = clusters[root]
  const parents: [number, number][] = []
  if (kept) {
    for (const id of ids) {
      const cluster = clusters[id]
      if (cluster && id !== root) {
        parents.push([id, cluster.parent])
        cluster.parent = root
      }
    }
  }
  // The root covers the others: tokens that differ become wildcards (same length only).
  let tokens: MergePayload['tokens'] = null
  const others = ids.filter((id) => id !== root).map((id) => clusters[id])
  if (kept && others.every((c) => c !== undefined && c.tokens.length === kept.tokens.length)) {
    const merged = kept.tokens.map((t, i) => others.reduce((acc, c) => mergeTokens(acc, (c as ClusterSnapshot).tokens[i] as string), t))
    if (merged.some((t, i) => t !== kept.tokens[i])) {
      tokens = { tokens: [...kept.tokens], general: kept.general }
      kept.tokens = merged
      kept.general = true
    }
  }
  const text = tokens && kept ? kept.tokens.join(' ') : (canonical.find((r) => r.id === edit.into) as RowBefore).text
  const payload: MergePayload = { into: edit.into, from: [...edit.from], rows, parents, root, tokens, modelDigest: model?.digest ?? null }
  const min = (values: (number | null)[]): number | null => values.reduce<number | null>((a, v) => (v === null ? a : a === null ? v : Math.min(a, v)), null)
  const max = (values: (number | null)[]): number | null => values.reduce<number | null>((a, v) => (v === null ? a : a === null ? v : Math.max(a, v)), null)
  return db.transaction(() => {
    db.prepare(`UPDATE templates SET canonical_id = ? WHERE canonical_id IN (${marks})`).run(edit.into, ...ids)
    db.prepare(`UPDATE templates SET count = 0 WHERE id IN (${edit.from.map(() => '?').join(', ')})`).run(...edit.from)
    db.prepare(`UPDATE templates SET count = ?, text = ?, first_ts = ?, last_ts = ? WHERE id = ?`).run(
      canonical.reduce((sum, r) => sum + r.count, 0),
      text,
      min(canonical.map((r) => r.firstTs)),
      max(canonical.map((r) => r.lastTs)),
      edit.into
    )
    saveCheckpoint(store, { ...checkpoint, miner: { ...checkpoint.miner, clusters } })
    return insertEdit(store, 'merge', payload, model?.before ?? null, now)
  })()
}

function insertEdit(store: CaseStore, kind: TemplateEditKind, payload: MergePayload | SplitPayload, before: string | null, now: number): number {
  return Number(
    store.db.prepare(`INSERT INTO template_edits (kind, payload, model_before, created_at) VALUES (?, ?, ?, ?)`).run(kind, JSON.stringify(payload), before, now).lastInsertRowid
  )
}

/** A template's text with its `position`-th parameter (0-based, left to right) replaced by `value`. */
export function withValue(tokens: readonly string[], position: number, value: string): string[] {
  let seen = 0
  return tokens.map((token) =>
    token.split(WILDCARD).reduce((out, piece, i) => {
      if (i === 0) return piece
      return out + (seen++ === position ? value : WILDCARD) + piece
    }, '')
  )
}

/**
 * Splits template `templateId` on its parameter at `position`: lines whose value there is one of
 * the `maxParts` commonest get a template of their own per value; the others stay. Returns the
 * edit's id and its parts.
 */
export function splitTemplate(
  store: CaseStore,
  sourceId: number,
  edit: {
    templateId: number
    position: number
    maxParts?: number | undefined
    /** The scoring model's miner: when it grew from the case's and knows more templates, new ids come after its. */
    modelMiner?: MinerSnapshot | undefined
  },
  now: number
): { editId: number; parts: SplitPart[] } {
  const db = store.db
  const row = canonicalRow(store, edit.templateId)
  const source = store.source(sourceId)
  if (!source?.formatSpec) throw new TemplateEditError('invalid_params', `source ${sourceId} has no lines`)
  const checkpoint = checkpointOf(store)
  const miner = TemplateMiner.fromSnapshot(checkpoint.miner)
  const raws = db.prepare(`SELECT id FROM templates WHERE canonical_id = ?`).pluck().all(edit.templateId) as number[]
  const index = store.index(sourceId)
  const postings = index.templatePostings()
  const heads: number[] = []
  for (const raw of raws) {
    if (raw + 1 >= postings.starts.length) continue
    for (let k = postings.starts[raw] as number; k < (postings.starts[raw + 1] as number); k++) {
      const line = postings.lines[k] as number
      if (((index.flags[line - 1] as number) & lineFlag.continuation) === 0) heads.push(line)
    }
  }
  // Each record's value at the position, counted.
  const splitter = createLineSplitter(JSON.parse(source.formatSpec) as FormatSpec)
  const valueOf = new Map<number, { value: string; raw: number; ts: number | null }>()
  const counts = new Map<string, number>()
  for (const record of storedRecords(db, sourceId, { only: heads })) {
    const value = miner.params(record.template, storedContent(splitter, record.text, record.flags))[edit.position]
    if (value === undefined) continue
    valueOf.set(record.lineNo, { value, raw: record.template, ts: record.ts })
    counts.set(value, (counts.get(value) ?? 0) + 1)
  }
  if (counts.size === 0) throw new TemplateEditError('invalid_params', `template ${edit.templateId} has no parameter ${edit.position + 1}`)
  if (counts.size === 1) throw new TemplateEditError('invalid_params', `every line of template ${edit.templateId} holds the same value in parameter ${edit.position + 1}`)
  const chosen = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, edit.maxParts ?? maxSplitParts)

  // New raw ids after every cluster and every row (a cancelled ingest may have left rows past the miner's save).
  const maxRow = (db.prepare(`SELECT max(id) FROM templates`).pluck().get() as number | null) ?? -1
  if (maxRow >= checkpoint.miner.clusters.length) {
    throw new TemplateEditError('conflict', 'the case holds templates its saved miner state does not know (an interrupted ingest); let it finish first')
  }
  const clusters: ClusterSnapshot[] = [...checkpoint.miner.clusters]
  const tally = { counts: [...checkpoint.counts], firstTs: [...checkpoint.firstTs], lastTs: [...checkpoint.lastTs] }
  // A model retrained with the case's miner as seed knows templates the case never met, under the
  // ids after the case's. The case's miner takes them on first (as a seeded ingest would have), so
  // new ids never collide with the model's and case ids stay model ids (no line matching needed).
  const seed = edit.modelMiner
  if (seed && seed.clusters.length > clusters.length && clusters.every((c, i) => seed.clusters[i]?.shape === c.shape)) {
    for (let id = clusters.length; id < seed.clusters.length; id++) clusters.push({ ...(seed.clusters[id] as ClusterSnapshot), count: 0 })
  }
  const root = miner.resolve(edit.templateId)
  const base = clusters[root] as ClusterSnapshot
  const newId = new Map<string, number>()
  /** New raw id → the raw id its lines had. */
  const origin = new Map<number, number>()
  const parts: { value: string; id: number; pairs: [number, number][]; count: number }[] = []
  const partOf = new Map<string, (typeof parts)[number]>()
  for (const [value] of chosen) {
    const part = { value, id: -1, pairs: [] as [number, number][], count: 0 }
    parts.push(part)
    partOf.set(value, part)
  }
  const times = new Map<number, { first: number | null; last: number | null; count: number }>()
  for (const [, { value, raw, ts }] of valueOf) {
    const part = partOf.get(value)
    if (!part) continue
    const key = `${raw}\u0000${value}`
    let id = newId.get(key)
    if (id === undefined) {
      id = clusters.length
      newId.set(key, id)
      clusters.push({ id, shape: base.shape, tokens: withValue(base.tokens, edit.position, value), count: 0, parent: root, general: false })
      if (part.id < 0) part.id = id
      part.pairs.push([id, raw])
      origin.set(id, raw)
    }
    part.count++
    const time = times.get(id) ?? { first: null, last: null, count: 0 }
    time.count++
    if (ts !== null) {
      if (time.first === null || ts < time.first) time.first = ts
      if (time.last === null || ts > time.last) time.last = ts
    }
    times.set(id, time)
  }
  for (const [id, time] of times) {
    const raw = origin.get(id) as number
    tally.counts[raw] = Math.max(0, (tally.counts[raw] ?? 0) - time.count)
    tally.counts[id] = time.count
    tally.firstTs[id] = time.first
    tally.lastTs[id] = time.last
    const cluster = clusters[id] as ClusterSnapshot
    clusters[id] = { ...cluster, count: time.count }
  }
  // Each moved record's lines (its head and continuation lines share the template column).
  const changes = new Map<number, number>()
  for (const raw of raws) {
    if (raw + 1 >= postings.starts.length) continue
    let current: number | undefined
    for (let k = postings.starts[raw] as number; k < (postings.starts[raw + 1] as number); k++) {
      const line = postings.lines[k] as number
      if (((index.flags[line - 1] as number) & lineFlag.continuation) === 0) {
        const head = valueOf.get(line)
        current = head && partOf.has(head.value) ? newId.get(`${raw}\u0000${head.value}`) : undefined
      }
      if (current !== undefined) changes.set(line, current)
    }
  }
  const moved = parts.reduce((sum, p) => sum + p.count, 0)
  const payload: SplitPayload = { templateId: edit.templateId, position: edit.position, parts }
  const insertRow = db.prepare(
    `INSERT INTO templates (id, canonical_id, text, count, first_ts, last_ts, baseline_count, score, model_template) VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`
  )
  const editId = db.transaction(() => {
    for (const part of parts) {
      let first: number | null = null
      let last: number | null = null
      for (const [id] of part.pairs) {
        const time = times.get(id)
        if (time?.first != null && (first === null || time.first < first)) first = time.first
        if (time?.last != null && (last === null || time.last > last)) last = time.last
      }
      for (const [id] of part.pairs) {
        const time = times.get(id)
        const own = id === part.id
        insertRow.run(id, part.id, (clusters[id] as ClusterSnapshot).tokens.join(' '), own ? part.count : 0, own ? first : (time?.first ?? null), own ? last : (time?.last ?? null))
      }
    }
    db.prepare(`UPDATE templates SET count = ? WHERE id = ?`).run(Math.max(0, row.count - moved), edit.templateId)
    rewriteTemplateColumn(store, sourceId, changes)
    saveCheckpoint(store, { ...checkpoint, miner: { ...checkpoint.miner, clusters }, ...tally })
    return insertEdit(store, 'split', payload, null, now)
  })()
  reindexTemplateColumn(store, sourceId, changes)
  return { editId, parts }
}

/** Takes back the case's last template edit; returns it (the caller re-scores). */
export function undoTemplateEdit(store: CaseStore, sourceId: number, editId: number): TemplateEdit {
  const edits = templateEdits(store)
  const edit = edits.find((e) => e.id === editId)
  if (!edit) throw new TemplateEditError('not_found', `the case has no template edit ${editId}`)
  if (edits.at(-1)?.id !== editId) throw new TemplateEditError('conflict', 'only the last template edit can be undone; undo the later ones first')
  const db = store.db
  const checkpoint = checkpointOf(store)
  const clusters = checkpoint.miner.clusters.map((c) => ({ ...c, tokens: [...c.tokens] }))
  if (edit.kind === 'merge') {
    const { rows, parents, tokens, root } = edit.payload
    // A later compaction may have moved a cluster on; then it stays where the miner put it.
    for (const [id, parent] of parents) {
      const cluster = clusters[id]
      if (cluster && cluster.parent === root) cluster.parent = parent
    }
    const kept = clusters[root]
    if (kept && tokens) {
      kept.tokens = [...tokens.tokens]
      kept.general = tokens.general
    }
    const restore = db.prepare(`UPDATE templates SET canonical_id = ?, count = ?, text = ?, first_ts = ?, last_ts = ? WHERE id = ?`)
    db.transaction(() => {
      for (const r of rows) restore.run(r.canonicalId, r.count, r.text, r.firstTs, r.lastTs, r.id)
      saveCheckpoint(store, { ...checkpoint, miner: { ...checkpoint.miner, clusters } })
      db.prepare(`DELETE FROM template_edits WHERE id = ?`).run(editId)
    })()
    return edit
  }
  const { parts, templateId } = edit.payload
  const back = new Map<number, number>()
  for (const part of parts) for (const [id, raw] of part.pairs) back.set(id, raw)
  const index = store.index(sourceId)
  const postings = index.templatePostings()
  const changes = new Map<number, number>()
  for (const [id, raw] of back) {
    if (id + 1 >= postings.starts.length) continue
    for (let k = postings.starts[id] as number; k < (postings.starts[id + 1] as number); k++) changes.set(postings.lines[k] as number, raw)
  }
  const tally = { counts: [...checkpoint.counts], firstTs: [...checkpoint.firstTs], lastTs: [...checkpoint.lastTs] }
  for (const [id, raw] of back) {
    tally.counts[raw] = (tally.counts[raw] ?? 0) + (tally.counts[id] ?? 0)
    tally.counts[id] = 0
    const cluster = clusters[id]
    if (cluster) cluster.count = 0
  }
  const moved = parts.reduce((sum, p) => sum + p.count, 0)
  const ids = [...back.keys()]
  db.transaction(() => {
    rewriteTemplateColumn(store, sourceId, changes)
    db.prepare(`DELETE FROM templates WHERE id IN (${ids.map(() => '?').join(', ')})`).run(...ids)
    db.prepare(`UPDATE templates SET count = count + ? WHERE id = ?`).run(moved, templateId)
    saveCheckpoint(store, { ...checkpoint, miner: { ...checkpoint.miner, clusters }, ...tally })
    db.prepare(`DELETE FROM template_edits WHERE id = ?`).run(editId)
  })()
  reindexTemplateColumn(store, sourceId, changes)
  return edit
}

/**
 * Puts the edited rows back after the table was rewritten from the miner (an append to the case
 * writes every row from the miner and its tally): there a split template's clusters are merged
 * into the template they came from, and a merge's row is its miner root's rather than the one
 * the user kept. Call after such a write.
 */
export function reapplyTemplateEdits(store: CaseStore): void {
  const edits = templateEdits(store)
  const saved = edits.length > 0 ? store.minerState() : null
  if (saved === null) return
  const checkpoint = parseCheckpoint(saved)
  const db = store.db
  const point = db.prepare(`UPDATE templates SET canonical_id = ?, text = ?, count = ? WHERE id = ?`)
  const take = db.prepare(`UPDATE templates SET count = max(0, count - ?) WHERE id = ?`)
  db.transaction(() => {
    for (const edit of edits) {
      if (edit.kind === 'merge') {
        const { into, root, tokens, rows } = edit.payload
        // The text the merge gave it: the root's generalised tokens, else the kept template's own.
        if (root !== into) keepMergedAs(store, root, into, tokens ? null : (rows.find((r) => r.id === into)?.text ?? null))
        continue
      }
      const kept = db.prepare(`SELECT canonical_id FROM templates WHERE id = ?`).pluck().get(edit.payload.templateId) as number | undefined
      for (const part of edit.payload.parts) {
        const count = part.pairs.reduce((sum, [id]) => sum + (checkpoint.counts[id] ?? 0), 0)
        for (const [id] of part.pairs) {
          const cluster = checkpoint.miner.clusters[id]
          if (cluster) point.run(part.id, cluster.tokens.join(' '), id === part.id ? count : 0, id)
        }
        if (kept !== undefined) take.run(count, kept)
      }
    }
  })()
}

/** Makes `into` the canonical row of what the table holds under `root`. */
function keepMergedAs(store: CaseStore, root: number, into: number, text: string | null): void {
  const db = store.db
  const row = db.prepare(`SELECT text, count, first_ts, last_ts, baseline_count, score, model_template FROM templates WHERE id = ? AND canonical_id = ?`).get(root, root) as
    | { text: string; count: number; first_ts: number | null; last_ts: number | null; baseline_count: number | null; score: number | null; model_template: number | null }
    | undefined
  if (!row) return
  db.prepare(`UPDATE templates SET canonical_id = ? WHERE canonical_id = ?`).run(into, root)
  db.prepare(`UPDATE templates SET text = ?, count = ?, first_ts = ?, last_ts = ?, baseline_count = ?, score = ?, model_template = ? WHERE id = ?`).run(
    text ?? row.text,
    row.count,
    row.first_ts,
    row.last_ts,
    row.baseline_count,
    row.score,
    row.model_template,
    into
  )
  db.prepare(`UPDATE templates SET count = 0 WHERE id = ?`).run(root)
}
