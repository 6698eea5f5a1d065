/**
 * "This is normal" feedback on a line or a template. The feedback is data (the case's `marks`
 * rows of kind 'normal'; other kinds belong to bookmarks and notes and are never touched here),
 * and the model lines are scored with is derived: the base model plus every mark, so removing a
 * mark and re-scoring undoes it. A marked line teaches the model its template, level, time and
 * parameter values (other values of the same template can still stand out); a marked template
 * teaches it a sample of the template's lines and accepts the template whatever its rarity.
 */
import type { CaseStore } from '../case/case-store.ts'
import { lineFlag } from '../case/block-codec.ts'
import { storedContent, storedRecords } from '../case/case-records.ts'
import { TemplateStats } from '../model/lines/template-stats.ts'
import { TimeSpread } from '../model/lines/time-spread.ts'
import { Model } from '../model/model.ts'
import { prepareScoring } from './rescore-source.ts'

export type NormalTarget = { readonly sourceId: number; readonly lineNo: number } | { readonly templateId: number }

export interface NormalMark {
  readonly id: number
  readonly sourceId: number | null
  readonly lineNo: number | null
  /** The case's canonical template (for a line mark: its line's). */
  readonly templateId: number | null
  readonly createdAt: number
}

/** Lines of a marked template the model learns from (its values and levels). */
const templateSample = 2_000

/** Records a mark; a line mark stands for its record's head line. Returns the mark's id. */
export function markNormal(store: CaseStore, target: NormalTarget, now: number): number {
  const db = store.db
  if ('templateId' in target) {
    const known = db.prepare(`SELECT canonical_id FROM templates WHERE id = ?`).pluck().get(target.templateId) as number | undefined
    if (known === undefined) throw new Error(`the case has no template ${target.templateId}`)
    return Number(db.prepare(`INSERT INTO marks (kind, template_id, created_at) VALUES ('normal', ?, ?)`).run(known, now).lastInsertRowid)
  }
  const head = headLine(store, target.sourceId, target.lineNo)
  const template = store.canonicalTemplates().get(head.template) ?? head.template
  return Number(
    db.prepare(`INSERT INTO marks (kind, source_id, line_no, template_id, created_at) VALUES ('normal', ?, ?, ?, ?)`).run(target.sourceId, head.lineNo, template, now).lastInsertRowid
  )
}

/** Removes a "normal" mark (undo); false when there is no such mark. */
export function unmarkNormal(store: CaseStore, markId: number): boolean {
  return store.db.prepare(`DELETE FROM marks WHERE id = ? AND kind = 'normal'`).run(markId).changes > 0
}

export function normalMarks(store: CaseStore): NormalMark[] {
  const rows = store.db.prepare(`SELECT id, source_id, line_no, template_id, created_at FROM marks WHERE kind = 'normal' ORDER BY id`).all() as {
    id: number
    source_id: number | null
    line_no: number | null
    template_id: number | null
    created_at: number
  }[]
  return rows.map((r) => ({ id: r.id, sourceId: r.source_id, lineNo: r.line_no, templateId: r.template_id, createdAt: r.created_at }))
}

/** The model to score source `sourceId` with: `base` plus the case's "normal" marks (`base` itself without any). */
export function withFeedback(base: Model, store: CaseStore, sourceId: number): Model {
  const marks = normalMarks(store)
  if (marks.length === 0) return base
  const model = Model.fromSnapshot(base.toSnapshot())
  const { map, splitter } = prepareScoring(store, sourceId, model)
  const touched = new Set<number>()
  const learn = (record: { text: string; flags: number; template: number; level: number; ts: number | null }): number => {
    const content = storedContent(splitter, record.text, record.flags)
    const id = map.modelTemplate(record.template, () => content)
    let stats = model.templates.get(id)
    if (!stats) model.templates.set(id, (stats = new TemplateStats(id, map.text(id))))
    stats.observe(record.level, id >= 0 ? map.modelMiner.params(id, content) : [], record.ts)
    touched.add(id)
    return id
  }
  const lines = marks.flatMap((m) => (m.sourceId === sourceId && m.lineNo !== null ? [m.lineNo] : []))
  for (const record of storedRecords(store.db, sourceId, { only: lines })) learn(record)
  const templates = new Set(marks.flatMap((m) => (m.lineNo === null && m.templateId !== null ? [m.templateId] : [])))
  if (templates.size > 0) {
    const sample = templateLines(store, sourceId, templates)
    for (const record of storedRecords(store.db, sourceId, { only: sample })) model.accepted.add(learn(record))
  }
  for (const id of touched) {
    const stats = model.templates.get(id) as TemplateStats
    // Normal means common enough not to be rare (one in a thousand), and not a burst in time.
    stats.count = Math.max(stats.count, Math.ceil(model.totalLines / 1_000))
    if (model.time.n > 0) stats.time = TimeSpread.fromSnapshot(model.time.toSnapshot())
  }
  return model
}

/** Up to `templateSample` lines of each template (raw ids resolved through the case's miner). */
function templateLines(store: CaseStore, sourceId: number, templates: ReadonlySet<number>): number[] {
  const canonical = store.canonicalTemplates()
  const postings = store.index(sourceId).templatePostings()
  const out: number[] = []
  for (let raw = 0; raw + 1 < postings.starts.length; raw++) {
    if (!templates.has(canonical.get(raw) ?? raw)) continue
    const end = Math.min(postings.starts[raw + 1] as number, (postings.starts[raw] as number) + templateSample)
    for (let k = postings.starts[raw] as number; k < end; k++) out.push(postings.lines[k] as number)
  }
  return out
}

/** The head line of the record holding `lineNo`. */
function headLine(store: CaseStore, sourceId: number, lineNo: number): { lineNo: number; template: number } {
  for (let from = lineNo; from >= 1; from -= 256) {
    const window = store.lines(sourceId, Math.max(1, from - 255), Math.min(256, from))
    for (let i = window.length - 1; i >= 0; i--) {
      const line = window[i]
      if (line && line.lineNo <= lineNo && (line.flags & lineFlag.continuation) === 0) return { lineNo: line.lineNo, template: line.template }
    }
  }
  throw new Error(`source ${sourceId} has no line ${lineNo}`)
}
