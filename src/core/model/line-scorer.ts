/**
 * The seam between the ingest pipeline and the anomaly models: the pipeline hands each parsed
 * record to a scorer and stores what comes back. Scores are in [0, 1] (0 = fits the model,
 * 1 = as anomalous as it gets); `anomaly` says whether the line is flagged at the model's
 * sensitivity, and `reasons` are short human-readable sentences.
 */
import type { LevelCode } from '../../shared/levels.ts'

export interface ScoreInput {
  /** Template id from the case's miner. */
  templateId: number
  /** Template text with `<*>` for parameters. */
  template: string
  params: readonly string[]
  /**
   * `params.length`, `params[i]` and `parseNumber(params[i])`, from a caller that can tell them
   * without building every string (see ingest/record-loop.ts); absent: read from `params`.
   */
  readonly paramCount?: number
  param?(i: number): string
  paramNumber?(i: number): number | null
  level: LevelCode
  /** Epoch ms or null. */
  ts: number | null
  /** The message after the header. */
  content: string
}

export interface LineScore {
  score: number
  anomaly: boolean
  reasons: readonly string[]
}

export interface LineScorer {
  scoreLine(input: ScoreInput): LineScore
}

/** Used when no model is loaded yet: nothing is flagged. */
export const neutralScorer: LineScorer = {
  scoreLine: () => ({ score: 0, anomaly: false, reasons: [] })
}
