/**
 * Training: learn what normal looks like from one or more reference files (a known-good
 * baseline), or from the file under investigation itself (self-training, when no baseline is
 * chosen). Two passes: the first mines the templates, the second gathers per-template and
 * per-session statistics against the final templates. Lines are read and split on a reader
 * thread (as an ingest's are), so this thread only mines and counts.
 */
import { availableParallelism } from 'node:os'
import { stat } from 'node:fs/promises'
import type { FormatSpec } from '../format/index.ts'
import { minePacked, packedContent, packedLine } from '../ingest/packed-records.ts'
import { sliceText } from '../read/batch-text.ts'
import type { PackedBatch } from '../ingest/packed-records.ts'
import { localReader, readerThread } from '../ingest/reader-side.ts'
import type { RecordReader } from '../ingest/reader-side.ts'
import { defaultReaderWorker } from '../ingest/start-ingest.ts'
import { TemplateMiner } from '../mine/index.ts'
import type { MinerSnapshot } from '../mine/index.ts'
import { IntList } from '../parse/int-list.ts'
import type { LevelCode } from '../../shared/levels.ts'
import { stopIfAsked } from '../platform/worker-stop.ts'
import type { StopCheck } from '../platform/worker-stop.ts'
import type { TrainingMode } from './lines/line-model.ts'
import { TemplateStats } from './lines/template-stats.ts'
import { TimeSpread } from './lines/time-spread.ts'
import { defaultModelSettings, Model } from './model.ts'
import type { Calibration, ModelSettings, ModelSource } from './model.ts'
import { sessionIdsAfter, sessionKeyFromSnapshot, sessionKeyToSnapshot, userSessionKey } from './sessions/session-key.ts'
import type { SessionKey, SessionKeySnapshot } from './sessions/session-key.ts'
import { buildKindStats } from './sessions/session-stats.ts'
import { fitTfidfForest } from './iforest/index.ts'
import { seededRandom } from '../service/deps.ts'
import { resolveSession, SessionTracker } from './sessions/session-tracker.ts'

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
  /** How far the whole training has got, 0…1, as often as a batch of lines is done. */
  onShare?: ((share: number) => void) | undefined
  /** Start mining from this miner state (a case's), so the model keeps the case's template ids. */
  seedMiner?: MinerSnapshot | undefined
  /**
   * Where lines are read and split. Default: a reader thread when there are two cores and the
   * files are big enough to repay its start (`threadedReadBytes`), else this thread.
   */
  reader?: RecordReader | undefined
  /** Read between batches: once aborted, training stops with 'training cancelled'. */
  signal?: StopCheck | undefined
}

/** Masked lines the isolation forest learns from (it subsamples 256 per tree anyway). */
const forestSampleSize = 50_000

/**
 * Characters of packed batches kept from the mining pass for the statistics pass, instead of
 * reading and splitting the files a second time (measured on a 1M-line baseline: 1.5 s of 7 s
 * CPU). Past this (about 1.2M lines of 130 characters, ~250 MB), the second pass reads the files
 * again.
 */
const keepChars = 160_000_000

/**
 * Input size from which the default reader is a thread of its own: starting one costs a few
 * hundred milliseconds, which a small file does not repay.
 */
const threadedReadBytes = 8 << 20

/**
 * Shares of a training's time (measured on 1M lines: mining 2.4 s, statistics 1.0 s, then the
 * model itself 0.3 s), for progress.
 */
const miningShare = 0.62
const statisticsShare = 0.3

/** One file after the mining pass. */
interface MinedFile {
  path: string
  /** Bytes as stored (compressed for a .gz). */
  size: number
  spec: FormatSpec
  lines: number
  /** Each record's template id as mined (resolve through the miner). */
  assignments: IntList
  /** The batches read, unless they outgrew `keepChars` (then the file is read again). */
  kept: PackedBatch[] | null
  /** SHA-256 of the file as stored, taken as it was read. */
  sha256: string
}

export async function trainModel(paths: readonly string[], options: TrainOptions = {}): Promise<Model> {
  if (paths.length === 0) throw new Error('Training needs at least one file')
  const reader = options.reader ?? (await defaultReader(paths))
  try {
    return await trainWith(reader, paths, options)
  } finally {
    if (reader !== options.reader) reader.close()
  }
}

async function defaultReader(paths: readonly string[]): Promise<RecordReader> {
  return (await wantsReaderThread(paths)) ? readerThread(defaultReaderWorker) : localReader
}

/** Whether reading `paths` on a thread of its own pays: two cores, and enough bytes. */
export async function wantsReaderThread(paths: readonly string[]): Promise<boolean> {
  if (availableParallelism() < 2) return false
  let bytes = 0
  // A missing file is for the open to report.
  for (const path of paths) bytes += await stat(path).then((s) => s.size, () => 0)
  return bytes >= threadedReadBytes
}

async function trainWith(reader: RecordReader, paths: readonly string[], options: TrainOptions): Promise<Model> {
  // Seeded with a case's miner, the model knows the case's template ids as they are.
  const miner = options.seedMiner ? TemplateMiner.fromSnapshot(options.seedMiner) : new TemplateMiner()
  // The user's key, or the one the first file's reader detects; later files use the same one.
  let sessionKey: SessionKey | null = options.sessionKey ? userSessionKey(options.sessionKey) : null
  let keySnapshot: SessionKeySnapshot | null | undefined = sessionKey ? sessionKeyToSnapshot(sessionKey) : undefined
  const mined: MinedFile[] = []
  const gather = new TrainingStats(miner)
  let keptChars = 0
  // Progress: mining is most of the work (by bytes read), the statistics the rest (by records).
  const sizes = await Promise.all(paths.map((path) => stat(path).then((s) => s.size, () => 0)))
  const totalBytes = sizes.reduce((a, b) => a + b, 0)
  let bytesDone = 0
  const share = options.onShare
  for (const [p, path] of paths.entries()) {
    // A baseline cut short is refused rather than learnt in part.
    // Hashed (for provenance) as it is read: no second read of the file.
    const source = await reader.open(path, { format: options.format, multiline: options.multiline, sessionKey: keySnapshot, cutShort: 'throw', hash: true })
    if (keySnapshot === undefined) {
      keySnapshot = source.layout.sessionKey
      sessionKey = keySnapshot && sessionKeyFromSnapshot(keySnapshot)
    }
    const file: MinedFile = { path, size: sizes[p] ?? 0, spec: source.layout.spec, lines: 0, assignments: new IntList(), kept: keptChars < keepChars ? [] : null, sha256: '' }
    for await (const batch of source.batches) {
      stopIfAsked(options.signal, 'training')
      let line = 0
      for (let r = 0; r < batch.recordLines.length; r++) {
        const id = minePacked(miner, batch, r)
        file.assignments.push(id)
        // Sessions are tracked now, by template id as mined, while this thread waits on the
        // reader anyway; the ids are resolved once mining is done (see resolveSession).
        // The reader found the record's first id; a line may hold more after it.
        const start = batch.sessionStart[r] as number
        if (sessionKey && start >= 0) {
          const t = batch.ts[r] as number
          const end = batch.sessionEnd[r] as number
          const ids = sessionIdsAfter(sessionKey, packedLine(batch, line), sliceText(batch.text, start, end), end - (batch.lineStarts[line] as number))
          for (const sid of ids) gather.session(sid, id, batch.firstLine + line, t === t ? t : null)
        }
        line += batch.recordLines[r] as number
      }
      file.lines += batch.lineStarts.length - 1
      share?.(miningShare * Math.min(1, (bytesDone + Math.min(batch.bytesRead, file.size)) / Math.max(1, totalBytes)))
      if (file.kept === null) continue
      file.kept.push(batch)
      keptChars += batch.text.length
      if (keptChars > keepChars) file.kept = null
    }
    bytesDone += file.size
    file.sha256 = source.end().sha256 ?? ''
    miner.compact()
    mined.push(file)
    options.onProgress?.('mining', path, file.lines)
  }

  const sources: ModelSource[] = []
  const totalRecords = mined.reduce((n, file) => n + file.assignments.length, 0)
  let learnt = 0
  for (const file of mined) {
    let index = 0
    const learn = (batch: PackedBatch): void => {
      stopIfAsked(options.signal, 'training')
      for (let r = 0; r < batch.recordLines.length; r++) {
        const t = batch.ts[r] as number
        gather.line(miner.resolve(file.assignments.at(index++)), batch.levels[r] as LevelCode, packedContent(batch, r), t === t ? t : null)
      }
      learnt += batch.recordLines.length
      share?.(miningShare + statisticsShare * Math.min(1, learnt / Math.max(1, totalRecords)))
    }
    if (file.kept) for (const batch of file.kept.splice(0)) learn(batch)
    else {
      const again = await reader.open(file.path, { spec: file.spec, multiline: options.multiline, sessionKey: null, cutShort: 'throw' })
      for await (const batch of again.batches) learn(batch)
    }
    gather.totalLines += file.assignments.length
    sources.push({ path: file.path, lines: file.lines, size: file.size, sha256: file.sha256 })
    options.onProgress?.('statistics', file.path, file.lines)
  }
  return gather.model({ mode: options.mode ?? 'baseline', sources, sessionKey, format: mined[0]?.spec ?? null, settings: options.settings, now: options.now })
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

  /** A record's membership of a session; its template id may be one the miner has since merged. */
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
    const miner = this.#miner
    for (const session of this.#tracker.sessions.values()) resolveSession(session, (id) => miner.resolve(id))
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
