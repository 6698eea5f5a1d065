/**
 * Training: learn what normal looks like from one or more reference files (a known-good
 * baseline), or from the file under investigation itself (self-training, when no baseline is
 * chosen). Two passes: the first mines the templates, the second gathers per-template and
 * per-session statistics against the final templates.
 */
import type { FormatSpec } from '../format/index.ts'
import { TemplateMiner } from '../mine/index.ts'
import type { MinerSnapshot } from '../mine/index.ts'
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
  /** Start mining from this miner state (a case's), so the model keeps the case's template ids. */
  seedMiner?: MinerSnapshot | undefined
}

/** Masked lines the isolation forest learns from (it subsamples 256 per tree anyway). */
const forestSampleSize = 50_000

/**
 * Characters of head lines kept from the mining pass for the statistics pass, instead of reading
 * and splitting the files a second time (measured on a 1M-line baseline: 1.5 s of 7 s CPU). Past
 * this (about 1.2M lines of 130 characters, ~250 MB), the second pass reads the files again.
 */
const keepChars = 160_000_000

/** Head lines as the mining pass split them, in file order. */
interface KeptRecords {
  texts: string[]
  contents: string[]
  ts: number[]
  levels: LevelCode[]
  lineNos: number[]
}

export async function trainModel(paths: readonly string[], options: TrainOptions = {}): Promise<Model> {
  if (paths.length === 0) throw new Error('Training needs at least one file')
  // Seeded with a case's miner, the model knows the case's template ids as they are.
  const miner = options.seedMiner ? TemplateMiner.fromSnapshot(options.seedMiner) : new TemplateMiner()
  const parsed: { path: string; result: ParseResult; kept: KeptRecords | null }[] = []
  let keptChars = 0
  for (const path of paths) {
    let kept: KeptRecords | null = keptChars < keepChars ? { texts: [], contents: [], ts: [], levels: [], lineNos: [] } : null
    const result = await parseFile(path, {
      miner,
      format: options.format,
      multiline: options.multiline,
      onRecord: (record, split) => {
        if (kept === null) return
        kept.texts.push(record.head.text)
        kept.contents.push(split.content)
        kept.ts.push(split.fields.ts ?? Number.NaN)
        kept.levels.push(normalizeLevel(split.fields.level))
        kept.lineNos.push(record.head.lineNo)
        keptChars += record.head.text.length
        if (keptChars > keepChars) kept = null
      }
    })
    parsed.push({ path, result, kept })
    options.onProgress?.('mining', path, result.lines)
  }
  miner.compact()

  const gather = new TrainingStats(miner)
  let sessionKey: SessionKey | null = options.sessionKey ? userSessionKey(options.sessionKey) : null
  let keyDecided = sessionKey !== null
  const pending: { text: string; template: number; lineNo: number; ts: number | null }[] = []

  const track = (text: string, template: number, lineNo: number, ts: number | null): void => {
    if (!keyDecided) {
      pending.push({ text, template, lineNo, ts })
      if (pending.length < keySampleLines) return
      decideKey()
      return
    }
    if (sessionKey) for (const id of sessionIds(sessionKey, text)) gather.session(id, template, lineNo, ts)
  }
  const decideKey = (): void => {
    keyDecided = true
    sessionKey = detectSessionKey(pending.map((p) => p.text))
    for (const p of pending.splice(0)) track(p.text, p.template, p.lineNo, p.ts)
  }

  const sources: ModelSource[] = []
  for (const { path, result, kept } of parsed) {
    if (kept) {
      for (let i = 0; i < kept.texts.length; i++) {
        const id = miner.resolve(result.assignments.at(i))
        const t = kept.ts[i] as number
        const ts = t === t ? t : null
        gather.line(id, kept.levels[i] as LevelCode, kept.contents[i] as string, ts)
        track(kept.texts[i] as string, id, kept.lineNos[i] as number, ts)
      }
    } else {
      const stream = await openRecordStream(path, { spec: result.spec, multiline: options.multiline })
      let index = 0
      for await (const batch of stream.batches) {
        for (const record of batch) {
          const split = stream.splitter.split(record.head.text)
          const id = miner.resolve(result.assignments.at(index++))
          gather.line(id, normalizeLevel(split.fields.level), split.content, split.fields.ts)
          track(record.head.text, id, record.head.lineNo, split.fields.ts)
        }
      }
    }
    gather.totalLines += result.records
    sources.push({ path, lines: result.lines, ...(await fileDigest(path)) })
    options.onProgress?.('statistics', path, result.lines)
  }
  if (!keyDecided) decideKey()
  return gather.model({ mode: options.mode ?? 'baseline', sources, sessionKey, format: parsed[0]?.result.spec ?? null, settings: options.settings, now: options.now })
}

/**
 * The statistics pass, whatever the lines come from (files, or a case's stored records): per
 * template counts, levels and parameters, the time spread, a sample for the isolation forest, and
 * sessions; then the model and its calibration.
 */
export class TrainingStats {
  readonly #miner: TemplateMiner
  readonly #templates = new Map<number, TemplateStats>()
  readonly #time = new TimeSpread()
  // A uniform sample of masked lines (reservoir) for the TF-IDF + isolation forest family.
  readonly #random = seededRandom(42)
  readonly #forestSample: (readonly string[])[] = []
  #seenForForest = 0
  /** Records seen so far: a record's position, for telling a burst from a busy stretch. */
  #position = 0
  readonly #tracker = new SessionTracker()
  /** Records learnt from. */
  totalLines = 0

  constructor(miner: TemplateMiner) {
    this.#miner = miner
  }

  /** One record, by its (resolved) template id. */
  line(id: number, level: LevelCode, content: string, ts: number | null): void {
    const miner = this.#miner
    let stats = this.#templates.get(id)
    if (!stats) this.#templates.set(id, (stats = new TemplateStats(id, miner.template(id).text)))
    stats.observe(level, miner.params(id, content), ts, this.#position++)
    const tokens = miner.template(id).tokens
    if (this.#forestSample.length < forestSampleSize) this.#forestSample.push(tokens)
    else {
      const slot = Math.floor(this.#random.next() * (this.#seenForForest + 1))
      if (slot < forestSampleSize) this.#forestSample[slot] = tokens
    }
    this.#seenForForest++
    if (ts !== null) this.#time.observe(ts)
  }

  /** A record's membership of a session. */
  session(id: string, template: number, lineNo: number, ts: number | null): void {
    this.#tracker.add(id, template, lineNo, ts, false)
  }

  model(init: {
    mode: TrainingMode
    sources: ModelSource[]
    sessionKey: SessionKey | null
    format: FormatSpec | null
    settings?: Partial<ModelSettings> | undefined
    now?: (() => Date) | undefined
  }): Model {
    const { sessionKey } = init
    const model = new Model({
      mode: init.mode,
      createdAt: (init.now?.() ?? new Date()).toISOString(),
      sources: init.sources,
      settings: { ...defaultModelSettings, ...init.settings },
      calibration: { lineFalseAlarmRate: 0, sessionFalseAlarmRate: null },
      totalLines: this.totalLines,
      time: this.#time,
      miner: this.#miner.toSnapshot(),
      templates: this.#templates,
      sessionKey,
      sessionKinds: sessionKey ? buildKindStats(this.#tracker.sessions.values()) : new Map(),
      isolation: this.#forestSample.length >= 32 ? fitTfidfForest(this.#forestSample) : null,
      format: init.format
    })
    model.calibration = calibrate(model, this.#tracker)
    return model
  }
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
