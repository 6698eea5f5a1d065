/**
 * Training from lines already in a case ("this stretch of the log is normal", or the whole file
 * for self-training): the stored records are read back block by block, with no second read or
 * parse of the log. The model's miner is the case's own (its saved `miner_state`), so the case's
 * template ids are the model's: a re-score needs no mapping, and mining is skipped altogether
 * (measured on 1M lines: the statistics pass alone, about half of training from the file).
 */
import type { CaseStore } from '../case/case-store.ts'
import { storedContent, storedRecords } from '../case/case-records.ts'
import type { RecordSelection } from '../case/case-records.ts'
import { sessionIdsOf, sessionKeyOf } from '../case/session-store.ts'
import { createLineSplitter } from '../format/index.ts'
import type { FormatSpec } from '../format/index.ts'
import { parseCheckpoint } from '../ingest/miner-checkpoint.ts'
import { TemplateMiner } from '../mine/index.ts'
import { stopIfAsked } from '../platform/worker-stop.ts'
import type { StopCheck } from '../platform/worker-stop.ts'
import type { TrainingMode } from './lines/line-model.ts'
import type { Model, ModelSettings } from './model.ts'
import { sessionKeyFromSnapshot } from './sessions/session-key.ts'
import { TrainingStats } from './train.ts'

export interface CaseTrainOptions {
  /** Which records are the reference (default: all). */
  selection?: RecordSelection | undefined
  /** 'self' when the reference is the file under investigation, 'baseline' for a stretch known to be normal. */
  mode?: TrainingMode | undefined
  settings?: Partial<ModelSettings> | undefined
  now?: (() => Date) | undefined
  /** Read every few thousand records: once aborted, training stops with 'training cancelled'. */
  signal?: StopCheck | undefined
}

export function trainModelFromCase(store: CaseStore, sourceId: number, options: CaseTrainOptions = {}): Model {
  const source = store.source(sourceId)
  if (!source) throw new Error(`the case has no source ${sourceId}`)
  const saved = store.minerState()
  if (saved === null || source.formatSpec === null) throw new Error(`source ${sourceId} (${source.name}) has no lines to learn from yet`)
  const miner = TemplateMiner.fromSnapshot(parseCheckpoint(saved).miner)
  // The year only matters to timestamps, which the case already holds.
  const splitter = createLineSplitter(JSON.parse(source.formatSpec) as FormatSpec)
  const key = sessionKeyOf(store.db, sourceId)
  const keys: string[] = []
  if (key) for (const [name, id] of sessionIdsOf(store.db, sourceId)) keys[id] = name
  const stats = new TrainingStats(miner)
  const tally = { lines: 0, records: 0 }
  for (const record of storedRecords(store.db, sourceId, options.selection, tally)) {
    if ((tally.records & 0x3fff) === 0) stopIfAsked(options.signal, 'training')
    const id = miner.resolve(record.template)
    stats.line(id, record.level, storedContent(splitter, record.text, record.flags), record.ts)
    const session = record.session >= 0 ? keys[record.session] : undefined
    if (session !== undefined) stats.session(session, id, record.lineNo, record.ts)
  }
  stats.totalLines = tally.records
  if (tally.records === 0) throw new Error('no lines to learn from in the chosen range')
  const selection = options.selection
  return stats.model({
    mode: options.mode ?? 'self',
    sources: [
      {
        path: source.path,
        size: source.size,
        sha256: source.sha256 ?? '',
        lines: tally.lines,
        fromCase: {
          path: store.path,
          sourceId,
          ...(selection?.lines && { lines: [selection.lines.from, selection.lines.to] as [number, number] }),
          ...(selection?.time && { time: [selection.time.from, selection.time.to] as [number, number] }),
          ...(selection?.only && { chosen: tally.records })
        }
      }
    ],
    sessionKey: key ? sessionKeyFromSnapshot(key) : null,
    format: JSON.parse(source.formatSpec) as FormatSpec,
    settings: options.settings,
    now: options.now
  })
}
