/**
 * The model a template merge scores with: the case's model in which the merged templates are
 * one. Each model template the merged case templates map to (found with the re-score's own
 * template map, before the case's miner changes) gets the same pooled statistics: counts and
 * levels summed, parameter statistics pooled where the positions line up, the time spread of the
 * commonest. So the lines of a template the baseline never saw, merged into one it knows, stop
 * counting as new; a merge with nothing the model knows leaves the model as it was.
 */
import type { CaseStore } from '../case/case-store.ts'
import { storedContent } from '../case/case-records.ts'
import { mergeTokens } from '../mine/generalize.ts'
import { maxValues, ParamStats } from '../model/lines/param-stats.ts'
import { TemplateStats } from '../model/lines/template-stats.ts'
import { TimeSpread } from '../model/lines/time-spread.ts'
import { Model } from '../model/model.ts'
import { prepareScoring } from '../rescore/rescore-source.ts'

/**
 * The merged model (`base` itself when the model knows none of the templates), and which of
 * the templates should be the case miner's root: the first the model knows, so the merged lines
 * map to a model template with a baseline count.
 */
export function mergedModel(base: Model, store: CaseStore, sourceId: number, into: number, from: readonly number[]): { model: Model; root: number } {
  const { map, splitter } = prepareScoring(store, sourceId, base)
  const ids = [into, ...from]
  const raws = store.db.prepare(`SELECT id FROM templates WHERE canonical_id IN (${ids.map(() => '?').join(', ')})`).pluck().all(...ids) as number[]
  const postings = store.index(sourceId).templatePostings()
  // A template's model id; a content match (models mined elsewhere) reads one of its lines.
  const contentOf = (raw: number) => (): string => {
    const first = raw + 1 < postings.starts.length && (postings.starts[raw] as number) < (postings.starts[raw + 1] as number) ? postings.lines[postings.starts[raw] as number] : undefined
    const line = first === undefined ? undefined : store.lines(sourceId, first, 1)[0]
    return line ? storedContent(splitter, line.text, line.flags) : ''
  }
  const modelIds = [...new Set(raws.map((raw) => map.modelTemplate(raw, contentOf(raw))))]
  const known = modelIds.flatMap((id) => {
    const stats = base.templates.get(id)
    return stats ? [stats] : []
  })
  if (known.length === 0) return { model: base, root: into }
  const root = ids.find((id) => base.templates.has(map.modelTemplate(id, contentOf(id)))) ?? into
  const model = Model.fromSnapshot(base.toSnapshot())
  const pooled = pool(known)
  const accepted = modelIds.some((id) => model.accepted.has(id))
  for (const id of modelIds) {
    const stats = TemplateStats.fromSnapshot({ ...pooled.toSnapshot(), id })
    model.templates.set(id, stats)
    if (accepted) model.accepted.add(id)
  }
  return { model, root }
}

/** One template's statistics standing for several. */
export function pool(parts: readonly TemplateStats[]): TemplateStats {
  const commonest = [...parts].sort((a, b) => b.count - a.count)[0] as TemplateStats
  const tokens = parts.map((p) => p.text.split(' '))
  const sameLength = tokens.every((t) => t.length === (tokens[0] as string[]).length)
  const text = sameLength ? (tokens[0] as string[]).map((t, i) => tokens.reduce((acc, other) => mergeTokens(acc, other[i] as string), t)).join(' ') : commonest.text
  const out = new TemplateStats(commonest.id, text)
  out.count = parts.reduce((sum, p) => sum + p.count, 0)
  for (const p of parts) p.levels.forEach((n, code) => (out.levels[code] = (out.levels[code] ?? 0) + n))
  const aligned = parts.every((p) => p.params.length === commonest.params.length)
  out.params = aligned ? commonest.params.map((_, i) => poolParams(parts.map((p) => p.params[i] as ParamStats))) : commonest.params.map((p) => ParamStats.fromSnapshot(p.toSnapshot()))
  out.time = TimeSpread.fromSnapshot(commonest.time.toSnapshot())
  out.positions = TimeSpread.fromSnapshot(commonest.positions.toSnapshot())
  return out
}

function poolParams(parts: readonly ParamStats[]): ParamStats {
  const out = new ParamStats()
  for (const p of parts) {
    out.n += p.n
    out.numeric += p.numeric
    out.min = Math.min(out.min, p.min)
    out.max = Math.max(out.max, p.max)
    if (out.values && p.values) for (const [value, count] of p.values) out.values.set(value, (out.values.get(value) ?? 0) + count)
    else out.values = null
  }
  if (out.values && out.values.size > maxValues) out.values = null
  return out
}
