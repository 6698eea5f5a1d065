/**
 * A trained Faultline model: the reference's templates (as a miner snapshot), their statistics,
 * the session key and per-kind session statistics, and the sensitivity. Plain data in and out
 * (`toSnapshot` / `fromSnapshot`); `model-file.ts` adds the file envelope.
 */
import { TemplateMiner } from '../mine/index.ts'
import type { MinerSnapshot } from '../mine/index.ts'
import { LineModel } from './lines/line-model.ts'
import type { TrainingMode } from './lines/line-model.ts'
import { TemplateStats } from './lines/template-stats.ts'
import type { TemplateStatsSnapshot } from './lines/template-stats.ts'
import { TimeSpread } from './lines/time-spread.ts'
import type { TimeSpreadSnapshot } from './lines/time-spread.ts'
import { sessionKeyFromSnapshot, sessionKeyToSnapshot } from './sessions/session-key.ts'
import type { SessionKey, SessionKeySnapshot } from './sessions/session-key.ts'
import { SessionScorer } from './sessions/session-scorer.ts'
import { KindStats } from './sessions/session-stats.ts'
import { TfidfForest } from './iforest/index.ts'
import type { TfidfForestSnapshot } from './iforest/index.ts'
import type { Finding } from './evidence.ts'
import type { FormatSpec } from '../format/index.ts'
import type { KindStatsSnapshot } from './sessions/session-stats.ts'

export interface ModelSource {
  path: string
  size: number
  sha256: string
  lines: number
  /** Learnt from lines stored in a case rather than from the file: which case, source and part of it. */
  fromCase?: { path: string; sourceId: number; lines?: [number, number]; time?: [number, number]; chosen?: number } | undefined
}

export interface ModelSettings {
  /** Lines scoring at least this are flagged. */
  lineThreshold: number
  sessionThreshold: number
}

export const defaultModelSettings: ModelSettings = { lineThreshold: 0.5, sessionThreshold: 0.5 }

export interface Calibration {
  /** Share of the reference's own lines flagged at the line threshold. */
  lineFalseAlarmRate: number
  sessionFalseAlarmRate: number | null
}

export interface ModelSnapshot {
  mode: TrainingMode
  createdAt: string
  sources: ModelSource[]
  settings: ModelSettings
  calibration: Calibration
  totalLines: number
  /** How all the reference's lines spread over time. */
  time: TimeSpreadSnapshot
  miner: MinerSnapshot
  templates: TemplateStatsSnapshot[]
  sessionKey: SessionKeySnapshot | null
  sessionKinds: KindStatsSnapshot[]
  /** The masked TF-IDF + isolation forest family, fitted on the reference's lines. */
  isolation: TfidfForestSnapshot | null
  /** Templates a user marked normal (see rescore/feedback.ts): no per-template finding for them. */
  accepted?: number[] | undefined
  /** The reference's line layout, so a line on its own (the scoring service) splits the same way. */
  format?: FormatSpec | null | undefined
}

export class Model {
  readonly mode: TrainingMode
  readonly createdAt: string
  readonly sources: ModelSource[]
  settings: ModelSettings
  calibration: Calibration
  readonly totalLines: number
  readonly time: TimeSpread
  readonly minerSnapshot: MinerSnapshot
  readonly templates: Map<number, TemplateStats>
  readonly sessionKey: SessionKey | null
  readonly sessionKinds: Map<string, KindStats>
  readonly isolation: TfidfForest | null
  readonly accepted: Set<number>
  readonly format: FormatSpec | null

  constructor(init: {
    mode: TrainingMode
    createdAt: string
    sources: ModelSource[]
    settings: ModelSettings
    calibration: Calibration
    totalLines: number
    time: TimeSpread
    miner: MinerSnapshot
    templates: Map<number, TemplateStats>
    sessionKey: SessionKey | null
    sessionKinds: Map<string, KindStats>
    isolation: TfidfForest | null
    accepted?: Iterable<number> | undefined
    format?: FormatSpec | null | undefined
  }) {
    this.mode = init.mode
    this.createdAt = init.createdAt
    this.sources = init.sources
    this.settings = init.settings
    this.calibration = init.calibration
    this.totalLines = init.totalLines
    this.time = init.time
    this.minerSnapshot = init.miner
    this.templates = init.templates
    this.sessionKey = init.sessionKey
    this.sessionKinds = init.sessionKinds
    this.isolation = init.isolation
    this.accepted = new Set(init.accepted)
    this.format = init.format ?? null
  }

  /** A fresh miner that knows the reference's templates; new ones get new ids. */
  miner(): TemplateMiner {
    return TemplateMiner.fromSnapshot(this.minerSnapshot)
  }

  lineModel(): LineModel {
    return new LineModel(this.templates, {
      mode: this.mode,
      totalLines: this.totalLines,
      time: this.time,
      threshold: this.settings.lineThreshold,
      templateFindings: this.isolation ? isolationFindings(this.isolation, this.accepted) : undefined
    })
  }

  sessionScorer(templateText: (id: number) => string): SessionScorer {
    return new SessionScorer(this.sessionKinds, {
      mode: this.mode,
      threshold: this.settings.sessionThreshold,
      templateText,
      knownTemplate: (id) => this.templates.has(id)
    })
  }

  toSnapshot(): ModelSnapshot {
    return {
      mode: this.mode,
      createdAt: this.createdAt,
      sources: this.sources,
      settings: this.settings,
      calibration: this.calibration,
      totalLines: this.totalLines,
      time: this.time.toSnapshot(),
      miner: this.minerSnapshot,
      templates: [...this.templates.values()].map((t) => t.toSnapshot()),
      sessionKey: this.sessionKey && sessionKeyToSnapshot(this.sessionKey),
      sessionKinds: [...this.sessionKinds.values()].map((k) => k.toSnapshot()),
      isolation: this.isolation?.toSnapshot() ?? null,
      ...(this.accepted.size > 0 && { accepted: [...this.accepted] }),
      ...(this.format && { format: this.format })
    }
  }

  static fromSnapshot(snapshot: ModelSnapshot): Model {
    return new Model({
      mode: snapshot.mode,
      createdAt: snapshot.createdAt,
      sources: snapshot.sources,
      settings: snapshot.settings,
      calibration: snapshot.calibration,
      totalLines: snapshot.totalLines,
      time: TimeSpread.fromSnapshot(snapshot.time),
      miner: snapshot.miner,
      templates: new Map(snapshot.templates.map((t) => [t.id, TemplateStats.fromSnapshot(t)])),
      sessionKey: snapshot.sessionKey && sessionKeyFromSnapshot(snapshot.sessionKey),
      sessionKinds: new Map(snapshot.sessionKinds.map((k) => [k.kind, KindStats.fromSnapshot(k)])),
      isolation: snapshot.isolation ? TfidfForest.fromSnapshot(snapshot.isolation) : null,
      accepted: snapshot.accepted,
      format: snapshot.format
    })
  }
}

/**
 * The isolation forest's view of a template (its masked words), computed once per template.
 * Kept deliberately weak: on its own it flags a fixed share of any log, incident or not.
 */
function isolationFindings(forest: TfidfForest, accepted: ReadonlySet<number>): (templateId: number, template: string) => Finding | null {
  const cache = new Map<number, Finding | null>()
  return (templateId, template) => {
    if (accepted.has(templateId)) return null
    let finding = cache.get(templateId)
    if (finding === undefined) {
      const { decision } = forest.scoreLine(template.split(/\s+/))
      finding =
        decision < 0
          ? { weight: Math.min(0.45, 0.2 + -decision * 3), reason: `unusual mix of words for this log (isolation forest decision ${decision.toFixed(3)})` }
          : null
      cache.set(templateId, finding)
    }
    return finding
  }
}
