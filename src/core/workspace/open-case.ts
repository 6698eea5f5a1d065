/**
 * One investigation open in the engine: its case file, the model its lines were scored with,
 * the ingests still running, and the filters the viewer has asked for.
 */
import type { CaseStore } from '../case/case-store.ts'
import type { TextIndexJob } from '../case/text-index-job.ts'
import type { IngestJob } from '../ingest/index.ts'
import type { Model } from '../model/model.ts'
import type { KeptFilters } from './kept-filters.ts'
import type { LiveFollow } from './live-follow.ts'

export interface OpenCase {
  readonly id: string
  readonly title: string
  /** Replaced once, when a case opened without a baseline gets its self-trained scores. */
  store: CaseStore
  revision: number
  scoring: boolean
  /** The model lines are scored with: `base` plus the case's "normal" marks (rescore/feedback.ts). */
  model: Model | null
  /** The model as trained or chosen, before feedback. */
  base: Model | null
  /** What the case bar calls the model, and its id in the model library when it came from there. */
  modelName: string | null
  libraryId: string | null
  /** The retrain or re-score under way, to cancel it. */
  training: { cancel(): void } | null
  /** Following the log file as it grows (`case.follow`). */
  follow: LiveFollow | null
  /** Flag lines scoring at least this (the model's threshold; 0.5 without a model). */
  threshold: number
  readonly jobs: Map<number, IngestJob>
  /** Background work to stop when the case closes (the self-trained re-ingest). */
  readonly background: Set<{ cancel(): void; readonly done: Promise<unknown> }>
  /** Text search indexes being built, by source. */
  readonly textJobs: Map<number, TextIndexJob>
  /** Filter id → source and matching line numbers. Few and short-lived, so kept in memory. */
  readonly filters: KeptFilters
  /** Filters still reading text, by the caller's token (see `case.cancelFilter`). */
  readonly filtering: Map<string, AbortController>
}
