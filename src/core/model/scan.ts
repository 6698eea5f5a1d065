/**
 * Scanning: score every record of a file against a model, then every session. With no model the
 * file is first trained on itself (self-training).
 */
import { openRecordStream } from '../parse/index.ts'
import { normalizeLevel } from '../../shared/levels.ts'
import type { LevelCode } from '../../shared/levels.ts'
import type { Model, ModelSettings } from './model.ts'
import { sessionIds, userSessionKey } from './sessions/session-key.ts'
import type { SessionScore } from './sessions/session-scorer.ts'
import { SessionTracker } from './sessions/session-tracker.ts'
import { modelRateReference, referenceWindowScores, windowSize, WindowTracker } from './sessions/window-rates.ts'
import { trainModel } from './train.ts'

export interface LineResult {
  /** Line number of the record's first line. */
  line: number
  /** Physical lines in the record (1 + continuation lines). */
  span: number
  ts: number | null
  level: LevelCode
  templateId: number
  template: string
  score: number
  anomaly: boolean
  reasons: readonly string[]
  sessions: readonly string[]
}

export interface ScanOptions {
  format?: string
  multiline?: boolean
  /** Overrides the model's session key. */
  sessionKey?: string
  /** Overrides the model's sensitivity. */
  settings?: Partial<ModelSettings>
  /** Called after each batch of records, awaited (a slow consumer applies backpressure). */
  onBatch?: (results: LineResult[]) => void | Promise<void>
}

export interface ScanResult {
  model: Model
  format: string
  lines: number
  records: number
  flaggedLines: number
  /** Sessions by id; for logs without ids, time windows (ids starting with "window "). */
  sessions: SessionScore[]
  /** Templates met in the file: id → text, count, and whether the model knew it. */
  templates: Map<number, { text: string; count: number; known: boolean }>
}

export async function scanFile(path: string, model: Model | null, options: ScanOptions = {}): Promise<ScanResult> {
  const active =
    model ??
    (await trainModel([path], {
      mode: 'self',
      ...(options.format !== undefined && { format: options.format }),
      ...(options.sessionKey !== undefined && { sessionKey: options.sessionKey }),
      ...(options.multiline !== undefined && { multiline: options.multiline })
    }))
  if (options.settings) active.settings = { ...active.settings, ...options.settings }
  const miner = active.miner()
  const lineModel = active.lineModel()
  const key = options.sessionKey ? userSessionKey(options.sessionKey) : active.sessionKey
  const tracker = new SessionTracker()
  const windowMs = windowSize(active.time.max - active.time.min)
  const windows = new WindowTracker(windowMs)
  const templates = new Map<number, { text: string; count: number; known: boolean }>()
  const stream = await openRecordStream(path, { format: options.format, multiline: options.multiline })

  let lines = 0
  let records = 0
  let flaggedLines = 0
  let lastTs: number | null = null
  for await (const batch of stream.batches) {
    const results: LineResult[] = []
    for (const record of batch) {
      const split = stream.splitter.split(record.head.text)
      const id = miner.match(split.content) ?? miner.add(split.content)
      const template = miner.template(id).text
      const level = normalizeLevel(split.fields.level)
      const ts = split.fields.ts
      const scored = lineModel.scoreLine({ templateId: id, template, params: miner.params(id, split.content), level, ts, content: split.content })
      const ids = key ? sessionIds(key, record.head.text) : []
      for (const sid of ids) tracker.add(sid, id, record.head.lineNo, ts, scored.anomaly)
      if (ts !== null) windows.add(id, ts, record.head.lineNo)
      const seen = templates.get(id)
      if (seen) seen.count++
      else templates.set(id, { text: template, count: 1, known: active.templates.has(id) })
      records++
      lines += 1 + record.continuation.length
      if (scored.anomaly) flaggedLines++
      if (ts !== null) lastTs = ts
      results.push({
        line: record.head.lineNo,
        span: 1 + record.continuation.length,
        ts,
        level,
        templateId: id,
        template,
        score: scored.score,
        anomaly: scored.anomaly,
        reasons: scored.reasons,
        sessions: ids
      })
    }
    await options.onBatch?.(results)
  }

  const templateText = (id: number): string => templates.get(id)?.text ?? active.templates.get(id)?.text ?? `template ${id}`
  const scorer = active.sessionScorer(templateText)
  const sessions =
    tracker.sessions.size > 0
      ? [...tracker.sessions.values()].map((session) => scorer.score(session, lastTs))
    : referenceWindowScores(windows, windowMs, modelRateReference(active), templateText)
  return { model: active, format: stream.splitter.description, lines, records, flaggedLines, sessions, templates }
}
