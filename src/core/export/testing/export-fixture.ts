/**
 * Builds small cases for the export tests and the export benchmark: lines written straight into
 * a case (no ingest), with chosen lines flagged, continuation lines, templates and a model
 * record, so every selection rule can be checked exactly.
 */
import { lineFlag } from '../../case/block-codec.ts'
import { CaseStore } from '../../case/case-store.ts'

export interface FixtureLine {
  text: string
  /** Epoch ms; null for none. */
  ts?: number | null
  level?: number
  template?: number
  continuation?: boolean
  /** Flag the line with these reasons. */
  reasons?: string[]
  score?: number
}

/** A case at `path` with one source holding `lines`; templates 0…n get texts `templates[i]`. */
export function buildCase(path: string, sourcePath: string, lines: Iterable<FixtureLine>, templates: readonly string[], options: { scored?: boolean } = {}): { store: CaseStore; sourceId: number } {
  const store = CaseStore.create(path)
  const sourceId = store.addSource({ path: sourcePath, size: 0, startedAt: 0 })
  store.updateSource(sourceId, { state: 'complete', format: '<Timestamp> <Level> <Content>' })
  const writer = store.writer(sourceId)
  let anomalies: { lineNo: number; score: number; template: number; reasons: string[] }[] = []
  let lineNo = 0
  let lastHead: FixtureLine | undefined
  for (const line of lines) {
    lineNo++
    if (!line.continuation) lastHead = line
    const head = lastHead ?? line
    const score = head.score ?? (head.reasons ? 0.9 : 0.1)
    writer.append({
      offset: lineNo,
      text: line.text,
      ts: head.ts ?? Number.NaN,
      template: head.template ?? 0,
      session: -1,
      level: head.level ?? 3,
      flags: line.continuation ? lineFlag.continuation : 0,
      score: options.scored === false ? 0 : score
    })
    if (line.reasons && !line.continuation) anomalies.push({ lineNo, score, template: line.template ?? 0, reasons: line.reasons })
    if (anomalies.length >= 10_000) {
      store.putAnomalies(sourceId, anomalies)
      anomalies = []
    }
  }
  writer.commit(lineNo)
  store.putAnomalies(sourceId, anomalies)
  store.putTemplates(templates.map((text, id) => ({ id, canonicalId: id, text, count: 0, firstTs: null, lastTs: null, baselineCount: null, score: null })))
  if (options.scored !== false) {
    const snapshot = JSON.stringify({ model: { mode: 'baseline', sources: [{ path: '/baselines/good-day.log' }], settings: { lineThreshold: 0.5 } } })
    store.putModel('good-day.json', snapshot, 0)
  }
  return { store, sourceId }
}
