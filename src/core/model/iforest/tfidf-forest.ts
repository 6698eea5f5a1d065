import { TfidfModel } from '../tfidf/vectorizer.ts'
import type { TfidfSnapshot } from '../tfidf/vectorizer.ts'
import type { TfidfSettings } from '../tfidf/settings.ts'
import { IsolationForest } from './forest.ts'
import type { IsolationForestSettings } from './settings.ts'
import type { IsolationForestSnapshot } from './snapshot.ts'

export const TFIDF_FOREST_SNAPSHOT_VERSION = 1

export interface TfidfForestSettings {
  readonly tfidf: Partial<TfidfSettings>
  readonly forest: Partial<IsolationForestSettings>
}

export interface TfidfForestSnapshot {
  readonly kind: 'tfidf-isolation-forest'
  readonly version: typeof TFIDF_FOREST_SNAPSHOT_VERSION
  readonly tfidf: TfidfSnapshot
  readonly forest: IsolationForestSnapshot
}

/** Scores of many lines, index-aligned with the input. */
export interface TfidfForestScores {
  /** sklearn `score_samples`: lower = more abnormal, in [-1, 0). */
  readonly score: Float64Array
  /** sklearn `decision_function`: negative = anomalous. */
  readonly decision: Float64Array
  /** Tokens the vocabulary did not know: TF-IDF drops them, so the forest cannot see them. */
  readonly oov: Int32Array
  readonly tokens: Int32Array
}

export interface TfidfForestLineScore {
  readonly score: number
  readonly decision: number
  readonly oov: number
  readonly tokens: number
}

/**
 * The classic recipe as one model: TF-IDF over masked tokens, then an Isolation Forest on the
 * rows (issue 4's baseline: contamination 0.05, seed 42 by default). Its known blind spot is
 * that unknown words vanish, so brand-new lines can score as normal; `oov` is returned with
 * every score so a caller can count novelty separately.
 */
export class TfidfForest {
  readonly tfidf: TfidfModel
  readonly forest: IsolationForest

  private constructor(tfidf: TfidfModel, forest: IsolationForest) {
    if (tfidf.nFeatures !== forest.nFeatures)
      throw new Error(`TF-IDF has ${tfidf.nFeatures} terms but the forest expects ${forest.nFeatures} features`)
    this.tfidf = tfidf
    this.forest = forest
  }

  /** Fits the vocabulary, idf and forest on the same lines (each line a list of masked tokens). */
  static fit(lines: readonly (readonly string[])[], settings?: Partial<TfidfForestSettings>): TfidfForest {
    const tfidf = TfidfModel.fit(lines, settings?.tfidf)
    const forest = IsolationForest.fit(tfidf.transform(lines), settings?.forest)
    return new TfidfForest(tfidf, forest)
  }

  /** Batch scoring (repeated lines are scored once). */
  score(lines: readonly (readonly string[])[]): TfidfForestScores {
    const x = this.tfidf.transform(lines)
    const score = this.forest.scoreSamples(x)
    const decision = Float64Array.from(score, (s) => s - this.forest.offset)
    return { score, decision, oov: x.oov, tokens: x.tokens }
  }

  scoreLine(tokens: readonly string[]): TfidfForestLineScore {
    const row = this.tfidf.transformOne(tokens)
    const score = this.forest.scoreRow(row)
    return { score, decision: score - this.forest.offset, oov: row.oov, tokens: row.tokens }
  }

  toSnapshot(): TfidfForestSnapshot {
    return {
      kind: 'tfidf-isolation-forest',
      version: TFIDF_FOREST_SNAPSHOT_VERSION,
      tfidf: this.tfidf.toSnapshot(),
      forest: this.forest.toSnapshot()
    }
  }

  static fromSnapshot(snapshot: TfidfForestSnapshot): TfidfForest {
    if (snapshot.kind !== 'tfidf-isolation-forest')
      throw new Error(`not a TF-IDF isolation-forest snapshot (kind ${String(snapshot.kind)})`)
    if (snapshot.version !== TFIDF_FOREST_SNAPSHOT_VERSION)
      throw new Error(`unsupported TF-IDF isolation-forest snapshot version ${String(snapshot.version)}`)
    return new TfidfForest(TfidfModel.fromSnapshot(snapshot.tfidf), IsolationForest.fromSnapshot(snapshot.forest))
  }
}

/** `TfidfForest.fit`: settings object in, fitted model out. */
export function fitTfidfForest(lines: readonly (readonly string[])[], settings?: Partial<TfidfForestSettings>): TfidfForest {
  return TfidfForest.fit(lines, settings)
}
