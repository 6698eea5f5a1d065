/**
 * Re-scoring a case source in place against a model: no re-ingest, same case file. Every stored
 * record is judged again (score-blocks.ts), its sessions or windows too (the ingest's session
 * pass, fed the new scores), and then everything is written in ONE transaction: per-line scores,
 * the anomalies, the templates' baseline counts, scores and model mapping, the sessions, and
 * (optionally) the model as the case's active one. A crash, a kill -9 or a cancel before the
 * commit leaves the old scores whole; after it, the new ones; never a mix. Readers on other
 * connections see one or the other (WAL).
 */
import { decodeColumns, lineFlag } from '../case/block-codec.ts'
import type { CaseStore } from '../case/case-store.ts'
import { sessionKeyOf, storeSessionScores } from '../case/session-store.ts'
import { reasonListIds } from '../case/reason-lists.ts'
import { createLineSplitter } from '../format/index.ts'
import type { FormatSpec, LineSplitterLike } from '../format/index.ts'
import { parseCheckpoint } from '../ingest/miner-checkpoint.ts'
import { sourceSessionScores } from '../ingest/session-pass.ts'
import type { LineScorer } from '../model/line-scorer.ts'
import type { Model } from '../model/model.ts'
import { threadCpuMs } from '../ingest/thread-cpu.ts'
import { stopIfAsked } from '../platform/worker-stop.ts'
import type { StopCheck } from '../platform/worker-stop.ts'
import { scoreBlocks } from './score-blocks.ts'
import type { ScoredPart, TemplateVerdict } from './score-blocks.ts'
import { TemplateMap } from './template-map.ts'

export interface RescoreOptions {
  /** The model's file (JSON) and name, recorded as the case's active model in the same transaction. */
  readonly record?: { readonly name: string; readonly snapshot: string } | undefined
  readonly signal?: StopCheck | undefined
  readonly onProgress?: ((lines: number, total: number) => void) | undefined
  /** Line numbers listed per kind of change (default 200). */
  readonly sampleSize?: number | undefined
}

/** What changed: counts of flagged records, and the first few line numbers of each change. */
export interface RescoreResult {
  readonly sourceId: number
  readonly lines: number
  readonly flagged: number
  readonly newlyFlagged: number
  readonly cleared: number
  readonly newlyFlaggedLines: number[]
  readonly clearedLines: number[]
  readonly sessionsFlagged: number
  /** Whether the case's template ids were the model's (else lines were matched to its templates). */
  readonly sameTemplates: boolean
  readonly ms: number
  /** CPU time of the thread that re-scored (null where unavailable). */
  readonly cpuMs: number | null
}

/**
 * Scores lines `from` on (whole blocks) on another thread; the lead scores the lines before and
 * merges. See rescore-job.ts.
 */
export type PartScorer = (from: number) => Promise<ScoredPart>

export async function rescoreSource(store: CaseStore, sourceId: number, model: Model, options: RescoreOptions = {}, helper?: PartScorer): Promise<RescoreResult> {
  const started = performance.now()
  const cpuStart = threadCpuMs()
  const source = store.source(sourceId)
  if (!source) throw new Error(`the case has no source ${sourceId}`)
  if (source.state === 'ingesting') throw new Error(`source ${sourceId} (${source.name}) is still being ingested; re-score it once that is done`)
  const split = helper ? splitLine(store, sourceId, source.lines) : null
  const other = split === null ? undefined : (helper as PartScorer)(split)
  // Settle the helper's promise even when this thread fails first, so nothing goes unhandled.
  other?.catch(() => {})
  const { map, scorer, splitter } = prepareScoring(store, sourceId, model)
  const own = scoreBlocks(store.db, sourceId, scorer, map, splitter, {
    to: split === null ? undefined : split - 1,
    signal: options.signal,
    onBlock: options.onProgress && ((lines) => options.onProgress?.(lines, source.lines))
  })
  const part = other ? mergeParts(own, await other) : own
  return commitRescore(store, sourceId, model, map, part, options, started, cpuStart)
}

/** What scoring a source's lines against a model takes. */
export function prepareScoring(store: CaseStore, sourceId: number, model: Model): { map: TemplateMap; scorer: LineScorer; splitter: LineSplitterLike } {
  const source = store.source(sourceId)
  const saved = store.minerState()
  if (!source || saved === null || source.formatSpec === null) throw new Error(`source ${sourceId} has no lines to score`)
  return {
    map: new TemplateMap(parseCheckpoint(saved).miner, model),
    scorer: model.lineModel(),
    // The year only matters to timestamps, which the case already holds.
    splitter: createLineSplitter(JSON.parse(source.formatSpec) as FormatSpec)
  }
}

/**
 * Where a second thread takes over: the first block past the middle that starts a record (its
 * continuation lines would need the score of a head the other thread judged). Null: too small to split.
 */
function splitLine(store: CaseStore, sourceId: number, lines: number): number | null {
  if (lines < 100_000) return null
  const rows = store.db
    .prepare(`SELECT first_line, columns, line_count FROM blocks WHERE source_id = ? AND first_line >= ? ORDER BY first_line LIMIT 16`)
    .iterate(sourceId, Math.floor(lines / 2)) as IterableIterator<{ first_line: number; columns: Buffer; line_count: number }>
  for (const row of rows) {
    if (((decodeColumns(row.columns, row.line_count).flags[0] as number) & lineFlag.continuation) === 0) return row.first_line
  }
  return null
}

/** Two parts of one source, in line order. */
export function mergeParts(a: ScoredPart, b: ScoredPart): ScoredPart {
  const templates = new Map(a.templates)
  for (const [id, verdict] of b.templates) {
    const into = templates.get(id)
    if (!into) templates.set(id, verdict)
    else {
      into.score = Math.max(into.score, verdict.score)
      for (const [model, lines] of verdict.models) into.models.set(model, (into.models.get(model) ?? 0) + lines)
    }
  }
  return { blocks: [...a.blocks, ...b.blocks], anomalies: [...a.anomalies, ...b.anomalies], templates, lines: a.lines + b.lines }
}

/** Sessions, the change report and the one write transaction, from the scored blocks. */
export function commitRescore(
  store: CaseStore,
  sourceId: number,
  model: Model,
  map: TemplateMap,
  part: ScoredPart,
  options: RescoreOptions,
  started: number,
  cpuStart: number | null
): RescoreResult {
  const db = store.db
  const dominant = new Map<number, number>()
  for (const [id, verdict] of part.templates) dominant.set(id, mostLines(verdict))
  const modelOf = (raw: number): number => (map.identity ? map.modelTemplate(raw, noContent) : (dominant.get(map.caseTemplate(raw)) ?? -1 - map.caseTemplate(raw)))
  const byFirstLine = new Map(part.blocks.map((b) => [b.firstLine, b.scores]))
  const sessions = sourceSessionScores(db, sourceId, {
    model,
    keyed: sessionKeyOf(db, sourceId) != null,
    resolve: modelOf,
    templateText: (id) => map.text(id),
    scores: (firstLine) => byFirstLine.get(firstLine)
  })
  stopIfAsked(options.signal, 're-score')

  const before = db.prepare(`SELECT line_no FROM anomalies WHERE source_id = ? ORDER BY line_no`).pluck().all(sourceId) as number[]
  const after = part.anomalies.map((a) => a.lineNo)
  const limit = options.sampleSize ?? 200
  const change = difference(after, before, limit)
  const gone = difference(before, after, limit)

  const templates = db.prepare(`SELECT id FROM templates WHERE id = canonical_id`).pluck().all() as number[]
  const writeScores = db.prepare(
    `INSERT INTO block_scores (source_id, block_no, scores) VALUES (?, ?, ?) ON CONFLICT (source_id, block_no) DO UPDATE SET scores = excluded.scores`
  )
  const insertAnomaly = db.prepare(`INSERT INTO anomalies (source_id, line_no, score, template_id, reasons_id) VALUES (?, ?, ?, ?, ?)`)
  const updateTemplate = db.prepare(`UPDATE templates SET baseline_count = ?, score = ?, model_template = ? WHERE id = ?`)
  db.transaction(() => {
    // Cancelled since: the transaction rolls back, and the case keeps its old scores.
    stopIfAsked(options.signal, 're-score')
    for (const b of part.blocks) writeScores.run(sourceId, b.blockNo, Buffer.from(b.scores.buffer, b.scores.byteOffset, b.scores.byteLength))
    db.prepare(`DELETE FROM anomalies WHERE source_id = ?`).run(sourceId)
    const listId = reasonListIds(db)
    for (const a of part.anomalies) insertAnomaly.run(sourceId, a.lineNo, a.score, a.template, listId(JSON.stringify(a.reasons)))
    for (const id of templates) {
      const verdict = part.templates.get(id)
      // Templates with no line here: only a shared miner says what the model knew them as.
      const modelId = verdict ? (dominant.get(id) as number) : map.identity ? map.modelTemplate(id, noContent) : null
      const known = modelId !== null && modelId >= 0 ? model.templates.get(modelId) : undefined
      updateTemplate.run(modelId === null ? null : (known?.count ?? 0), verdict?.score ?? null, known ? modelId : null, id)
    }
    storeSessionScores(db, sourceId, sessions)
    if (options.record) store.putModel(options.record.name, options.record.snapshot, Date.now())
  })()
  store.scoresChanged(sourceId)
  const cpu = threadCpuMs()
  return {
    sourceId,
    lines: part.lines,
    flagged: after.length,
    newlyFlagged: change.count,
    cleared: gone.count,
    newlyFlaggedLines: change.sample,
    clearedLines: gone.sample,
    sessionsFlagged: sessions.filter((s) => s.anomaly).length,
    sameTemplates: map.identity,
    ms: performance.now() - started,
    cpuMs: cpu === null || cpuStart === null ? null : cpu - cpuStart
  }
}

const noContent = (): string => ''

/** The model template most of a case template's lines went to. */
function mostLines(verdict: TemplateVerdict): number {
  let best = 0
  let bestLines = -1
  for (const [id, lines] of verdict.models) {
    if (lines > bestLines) {
      best = id
      bestLines = lines
    }
  }
  return best
}

/** Elements of sorted `a` not in sorted `b`: how many, and the first `limit`. */
function difference(a: readonly number[], b: readonly number[], limit: number): { count: number; sample: number[] } {
  const sample: number[] = []
  let count = 0
  let j = 0
  for (const x of a) {
    while (j < b.length && (b[j] as number) < x) j++
    if (b[j] === x) continue
    count++
    if (sample.length < limit) sample.push(x)
  }
  return { count, sample }
}
