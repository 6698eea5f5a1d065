/**
 * Training: learn what normal looks like from one or more reference files (a known-good
 * baseline), or from the file under investigation itself (self-training, when no baseline is
 * chosen). Two passes: the first mines the templates, the second gathers per-template and
 * per-session statistics against the final templates.
 */
import { TemplateMiner } from '../mine/index.ts'
import { openRecordStream, parseFile } from '../parse/index.ts'
import type { ParseResult } from '../parse/index.ts'
import { normalizeLevel } from '../../shared/levels.ts'
import type { LevelCode } from '../../shared/levels.ts'
import { fileDigest } from './file-digest.ts'
import type { TrainingMode } from './lines/line-model.ts'
import { TemplateStats } from './lines/template-stats.ts'
import { TimeSpread } from './lines/time-spread.ts'
import { defaultModelSettings, Model } from './model.ts'
import type { Calibration, ModelSettings, ModelSource } from './model.ts'
import { detectSessionKey, keySampleLines, sessionIds, userSessionKey } from './sessions/session-key.ts'
import type { SessionKey } from './sessions/session-key.ts'
import { buildKindStats } from './sessions/session-stats.ts'
import { fitTfidfForest } from './iforest/index.ts'
import { seededRandom } from '../service/deps.ts'
import { SessionTracker } from './sessions/session-tracker.ts'

export interface TrainOptions {
  mode?: TrainingMode
  /** Loghub-style format string; detected when absent. */
  format?: string
  /** Regex whose first group (or match) is the session id; detected when absent. */
  sessionKey?: string
  multiline?: boolean
  settings?: Partial<ModelSettings>
  now?: () => Date
  onProgress?: (stage: 'mining' | 'statistics', file: string, lines: number) => void
}

/** Lines read before deciding on a session key. */
/** Masked lines the isolation forest learns from (it subsamples 256 per tree anyway). */
const forestSampleSize = 50_000

export async function trainModel(paths: readonly string[], options: TrainOptions = {}): Promise<Model> {
  if (paths.length === 0) throw new Error('Training needs at least one file')
  const mode = options.mode ?? 'baseline'
  const miner = new TemplateMiner()
  const parsed: { path: string; result: ParseResult }[] = []
  for (const path of paths) {
    const result = await parseFile(path, { miner, format: options.format, multiline: options.multiline })
    parsed.push({ path, result })
    options.onProgress?.('mining', path, result.lines)
  }
  miner.compact()

  const templates = new Map<number, TemplateStats>()
  const time = new TimeSpread()
  // A uniform sample of masked lines (reservoir) for the TF-IDF + isolation forest family.
  const random = seededRandom(42)
  const forestSample: (readonly string[])[] = []
  let seenForForest = 0
  const tracker = new SessionTracker()
  let sessionKey: SessionKey | null = options.sessionKey ? userSessionKey(options.sessionKey) : null
  let keyDecided = sessionKey !== null
  const pending: { text: string; template: number; lineNo: number; ts: number | null }[] = []
  let totalLines = 0

  const track = (text: string, template: number, lineNo: number, ts: number | null): void => {
    if (!keyDecided) {
      pending.push({ text, template, lineNo, ts })
      if (pending.length < keySampleLines) return
      decideKey()
      return
    }
    if (sessionKey) for (const id of sessionIds(sessionKey, text)) tracker.add(id, template, lineNo, ts, false)
  }
  const decideKey = (): void => {
    keyDecided = true
    sessionKey = detectSessionKey(pending.map((p) => p.text))
    for (const p of pending.splice(0)) track(p.text, p.template, p.lineNo, p.ts)
  }

  const sources: ModelSource[] = []
  for (const { path, result } of parsed) {
    const stream = await openRecordStream(path, { spec: result.spec, multiline: options.multiline })
    let index = 0
    for await (const batch of stream.batches) {
      for (const record of batch) {
        const split = stream.splitter.split(record.head.text)
        const id = miner.resolve(result.assignments.at(index++))
        const level: LevelCode = normalizeLevel(split.fields.level)
        let stats = templates.get(id)
        if (!stats) templates.set(id, (stats = new TemplateStats(id, miner.template(id).text)))
        stats.observe(level, miner.params(id, split.content), split.fields.ts, totalLines + index - 1)
        const tokens = miner.template(id).tokens
        if (forestSample.length < forestSampleSize) forestSample.push(tokens)
        else {
          const slot = Math.floor(random.next() * (seenForForest + 1))
          if (slot < forestSampleSize) forestSample[slot] = tokens
        }
        seenForForest++
        if (split.fields.ts !== null) time.observe(split.fields.ts)
        track(record.head.text, id, record.head.lineNo, split.fields.ts)
      }
    }
    totalLines += result.records
    sources.push({ path, lines: result.lines, ...(await fileDigest(path)) })
    options.onProgress?.('statistics', path, result.lines)
  }
  if (!keyDecided) decideKey()

  const settings = { ...defaultModelSettings, ...options.settings }
  const model = new Model({
    mode,
    createdAt: (options.now?.() ?? new Date()).toISOString(),
    sources,
    settings,
    calibration: { lineFalseAlarmRate: 0, sessionFalseAlarmRate: null },
    totalLines,
    time,
    miner: miner.toSnapshot(),
    templates,
    sessionKey,
    sessionKinds: sessionKey ? buildKindStats(tracker.sessions.values()) : new Map(),
    isolation: forestSample.length >= 32 ? fitTfidfForest(forestSample) : null
  })
  model.calibration = calibrate(model, tracker)
  return model
}

/**
 * The share of the reference's own lines and sessions the model flags at its thresholds: the
 * false-alarm rate to expect on data like the reference. In-sample, parameters are in range and
 * nothing is new, so a line's score depends only on its template, its level and (for a readout) its
 * value's kind.
 */
function calibrate(model: Model, tracker: SessionTracker): Calibration {
  const lines = model.lineModel()
  let flagged = 0
  for (const stats of model.templates.values()) {
    // Typical values: whether a line only reads out a number changes how its level counts.
    const params = stats.params.map((p) => p.typical())
    stats.levels.forEach((count, level) => {
      if (count > 0 && lines.scoreLine({ templateId: stats.id, template: stats.text, params, level, ts: null, content: '' }).anomaly) {
        flagged += count
      }
    })
  }
  let sessionFalseAlarmRate: number | null = null
  if (model.sessionKey && tracker.sessions.size > 0) {
    const scorer = model.sessionScorer((id) => model.templates.get(id)?.text ?? `template ${id}`)
    let flaggedSessions = 0
    for (const session of tracker.sessions.values()) if (scorer.score(session, null).anomaly) flaggedSessions++
    sessionFalseAlarmRate = flaggedSessions / tracker.sessions.size
  }
  return { lineFalseAlarmRate: model.totalLines > 0 ? flagged / model.totalLines : 0, sessionFalseAlarmRate }
}
