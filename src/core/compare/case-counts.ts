/**
 * An open case's template counts in its model's terms, for comparing with that model's
 * baseline: each case template counts under the model's id for it (as the ingest or the last
 * re-score mapped it), and templates the model never saw under ids of their own. Each count
 * remembers which case templates it came from, so a comparison row can filter the viewer.
 */
import type { CaseStore } from '../case/case-store.ts'
import type { TemplateCounts } from '../../shared/compare/index.ts'

export interface CaseCounts extends TemplateCounts {
  /** Comparison id → the case's template ids counted under it. */
  caseTemplates: Map<number, number[]>
}

export function caseTemplateCounts(store: CaseStore): CaseCounts {
  const counts = new Map<number, { text: string; count: number }>()
  const caseTemplates = new Map<number, number[]>()
  let totalLines = 0
  for (const t of store.templates()) {
    const known = t.modelTemplate ?? (t.baselineCount !== null && t.baselineCount > 0 ? t.id : null)
    // Negative ids can never meet a model's template id.
    const id = known ?? -(t.id + 1)
    const entry = counts.get(id)
    if (entry) entry.count += t.count
    else counts.set(id, { text: t.text, count: t.count })
    const ids = caseTemplates.get(id)
    if (ids) ids.push(t.id)
    else caseTemplates.set(id, [t.id])
    totalLines += t.count
  }
  return { totalLines, templates: [...counts].map(([id, { text, count }]) => ({ id, text, count })), caseTemplates }
}
