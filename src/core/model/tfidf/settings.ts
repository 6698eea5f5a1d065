/**
 * TF-IDF settings. The defaults are scikit-learn's `TfidfVectorizer` defaults, so a model fitted
 * with them reproduces `TfidfVectorizer(tokenizer=identity, lowercase=False, token_pattern=None)`.
 */
export interface TfidfSettings {
  /** idf = ln((1 + n) / (1 + df)) + 1 when true (sklearn `smooth_idf`), else ln(n / df) + 1. */
  readonly smoothIdf: boolean
  /** Replace a term count tf by 1 + ln(tf) (sklearn `sublinear_tf`). */
  readonly sublinearTf: boolean
  /** Row normalisation (sklearn `norm`). */
  readonly norm: 'l2' | 'l1' | 'none'
}

export const DEFAULT_TFIDF_SETTINGS: TfidfSettings = Object.freeze({
  smoothIdf: true,
  sublinearTf: false,
  norm: 'l2'
})
