/**
 * The answer shape of the classic "log anomaly API" recipe (FastAPI + scikit-learn's
 * IsolationForest), so existing clients keep working: `anomaly_score` follows the
 * `decision_function` convention, positive = normal, negative = anomalous.
 *
 * Mapping: `anomaly_score = threshold − score`, where `score` is Faultline's 0..1 line score and
 * `threshold` the model's line threshold (0.5 by default). So the value lies in
 * [threshold − 1, threshold]; 0 is the decision boundary; a line exactly at the threshold is
 * flagged (`is_anomaly` is authoritative and equals `score >= threshold`). Faultline's own score
 * is kept alongside as `score`.
 */
import type { RawLineScore } from './raw-line-scorer.ts'

export interface ClassicScore {
  is_anomaly: boolean
  anomaly_score: number
  /** Faultline's score, 0 (normal) to 1. */
  score: number
  template: string
  /** Whether a baseline template accepted the line. */
  known_template: boolean
  reasons: readonly string[]
}

export function toClassic(result: RawLineScore): ClassicScore {
  return {
    is_anomaly: result.anomaly,
    anomaly_score: round(result.threshold - result.score),
    score: round(result.score),
    template: result.template,
    known_template: result.known,
    reasons: result.reasons
  }
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
