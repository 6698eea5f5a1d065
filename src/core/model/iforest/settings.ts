/**
 * Isolation Forest settings, named after scikit-learn's `IsolationForest` parameters; the
 * defaults are sklearn's defaults with the recipe's contamination and seed. sklearn's
 * `max_features=1.0` and `bootstrap=False` are the only behaviour implemented, so they are not
 * settings.
 */
export interface IsolationForestSettings {
  /** Trees in the forest (sklearn `n_estimators`). */
  readonly nEstimators: number
  /**
   * Rows drawn, without replacement, to grow each tree (sklearn `max_samples`): 'auto' is
   * min(256, n); a count larger than n is clamped to n as sklearn does (it also warns).
   */
  readonly maxSamples: 'auto' | number
  /**
   * Expected share of outliers, which only places the decision threshold (`offset`): 'auto'
   * gives offset = -0.5 (the original paper's 0.5 on its score); a number in (0, 0.5] gives
   * the `100 × contamination` percentile of the training rows' `scoreSamples`.
   */
  readonly contamination: 'auto' | number
  /** Seed of our own PRNG (sklearn `random_state`); same seed, same forest. */
  readonly randomSeed: number
}

export const DEFAULT_ISOLATION_FOREST_SETTINGS: IsolationForestSettings = Object.freeze({
  nEstimators: 100,
  maxSamples: 'auto',
  contamination: 0.05,
  randomSeed: 42
})

export function resolveIsolationForestSettings(settings?: Partial<IsolationForestSettings>): IsolationForestSettings {
  const s: IsolationForestSettings = { ...DEFAULT_ISOLATION_FOREST_SETTINGS, ...settings }
  if (!Number.isInteger(s.nEstimators) || s.nEstimators < 1)
    throw new Error(`nEstimators must be a positive integer, got ${String(s.nEstimators)}`)
  if (s.maxSamples !== 'auto' && (!Number.isInteger(s.maxSamples) || s.maxSamples < 1))
    throw new Error(`maxSamples must be 'auto' or a positive integer, got ${String(s.maxSamples)}`)
  if (s.contamination !== 'auto' && !(typeof s.contamination === 'number' && s.contamination > 0 && s.contamination <= 0.5))
    throw new Error(`contamination must be 'auto' or in (0, 0.5], got ${String(s.contamination)}`)
  if (!Number.isInteger(s.randomSeed)) throw new Error(`randomSeed must be an integer, got ${String(s.randomSeed)}`)
  return Object.freeze(s)
}
