import { compareCodePoints } from '../../../shared/code-point-order.ts'
import type { CsrMatrix, SparseRow } from './csr.ts'
import { DEFAULT_TFIDF_SETTINGS } from './settings.ts'
import type { TfidfSettings } from './settings.ts'

export const TFIDF_SNAPSHOT_VERSION = 1

export interface TfidfSnapshot {
  readonly kind: 'tfidf'
  readonly version: typeof TFIDF_SNAPSHOT_VERSION
  readonly settings: TfidfSettings
  /** Documents seen by `fit` (sklearn's n_samples before smoothing). */
  readonly nDocs: number
  /** Terms in column order (sorted by code point, like sklearn's `get_feature_names_out()`). */
  readonly vocabulary: readonly string[]
  readonly idf: readonly number[]
}

/**
 * TF-IDF rows plus, per row, what the matrix cannot show: tokens the vocabulary did not know.
 * sklearn silently drops them, which makes a brand-new line look like the few known words it
 * contains; `oov` lets a caller score novelty separately.
 */
export interface TfidfMatrix extends CsrMatrix {
  /** Out-of-vocabulary tokens per row (with repetition). */
  readonly oov: Int32Array
  /** All tokens per row (with repetition), known or not. */
  readonly tokens: Int32Array
}

export interface TfidfRow extends SparseRow {
  readonly oov: number
  readonly tokens: number
}

/**
 * A fitted TF-IDF model over already-tokenised (masked) lines: one term per token, no
 * lowercasing, no n-grams, no stop words, min_df = 1, max_df = 1.0.
 */
export class TfidfModel {
  readonly settings: TfidfSettings
  readonly nDocs: number
  readonly vocabulary: readonly string[]
  readonly idf: Float64Array
  readonly #columns: Map<string, number>
  // Scratch for transform: counts by column, and the columns touched by the current row.
  readonly #counts: Float64Array
  #touched: Int32Array

  private constructor(settings: TfidfSettings, nDocs: number, vocabulary: readonly string[], idf: Float64Array) {
    this.settings = settings
    this.nDocs = nDocs
    this.vocabulary = vocabulary
    this.idf = idf
    this.#columns = new Map(vocabulary.map((term, j) => [term, j]))
    this.#counts = new Float64Array(vocabulary.length)
    this.#touched = new Int32Array(64)
  }

  get nFeatures(): number {
    return this.vocabulary.length
  }

  /** Column of a term, or -1 when the term is not in the vocabulary. */
  columnOf(term: string): number {
    return this.#columns.get(term) ?? -1
  }

  /** Vectorise many lines (sklearn `transform`). */
  transform(docs: readonly (readonly string[])[]): TfidfMatrix {
    const indptr = new Int32Array(docs.length + 1)
    const oov = new Int32Array(docs.length)
    const tokens = new Int32Array(docs.length)
    let indices = new Int32Array(Math.max(16, docs.length * 8))
    let data = new Float64Array(indices.length)
    let nnz = 0
    for (let i = 0; i < docs.length; i++) {
      const doc = docs[i] ?? []
      const k = this.#count(doc)
      oov[i] = k.oov
      tokens[i] = doc.length
      if (nnz + k.nnz > indices.length) {
        const size = Math.max(indices.length * 2, nnz + k.nnz)
        const grownIndices = new Int32Array(size)
        grownIndices.set(indices.subarray(0, nnz))
        const grownData = new Float64Array(size)
        grownData.set(data.subarray(0, nnz))
        indices = grownIndices
        data = grownData
      }
      this.#emit(k.nnz, indices, data, nnz)
      nnz += k.nnz
      indptr[i + 1] = nnz
    }
    return {
      nRows: docs.length,
      nCols: this.vocabulary.length,
      indptr,
      indices: indices.slice(0, nnz),
      data: data.slice(0, nnz),
      oov,
      tokens
    }
  }

  /** Vectorise one line. */
  transformOne(doc: readonly string[]): TfidfRow {
    const k = this.#count(doc)
    const indices = new Int32Array(k.nnz)
    const data = new Float64Array(k.nnz)
    this.#emit(k.nnz, indices, data, 0)
    return { indices, data, oov: k.oov, tokens: doc.length }
  }

  toSnapshot(): TfidfSnapshot {
    return {
      kind: 'tfidf',
      version: TFIDF_SNAPSHOT_VERSION,
      settings: { ...this.settings },
      nDocs: this.nDocs,
      vocabulary: this.vocabulary.slice(),
      idf: Array.from(this.idf)
    }
  }

  static fromSnapshot(snapshot: TfidfSnapshot): TfidfModel {
    if (typeof snapshot !== 'object' || snapshot === null) throw new Error('TF-IDF snapshot is not an object')
    if (snapshot.kind !== 'tfidf') throw new Error(`not a TF-IDF snapshot (kind ${String(snapshot.kind)})`)
    if (snapshot.version !== TFIDF_SNAPSHOT_VERSION)
      throw new Error(`unsupported TF-IDF snapshot version ${String(snapshot.version)}`)
    const { vocabulary, idf } = snapshot
    if (!Array.isArray(vocabulary) || !Array.isArray(idf)) throw new Error('TF-IDF snapshot has no vocabulary or idf array')
    if (!Number.isInteger(snapshot.nDocs) || snapshot.nDocs < 0) throw new Error(`TF-IDF snapshot has nDocs ${String(snapshot.nDocs)}`)
    if (vocabulary.some((t) => typeof t !== 'string')) throw new Error('TF-IDF snapshot vocabulary holds a non-string')
    if (vocabulary.length !== idf.length)
      throw new Error(`TF-IDF snapshot has ${vocabulary.length} terms but ${idf.length} idf weights`)
    for (let j = 1; j < vocabulary.length; j++) {
      if (compareCodePoints(vocabulary[j - 1] ?? '', vocabulary[j] ?? '') >= 0)
        throw new Error(`TF-IDF snapshot vocabulary is not sorted and unique at term ${j}`)
    }
    if (idf.some((w) => typeof w !== 'number' || !Number.isFinite(w)))
      throw new Error('TF-IDF snapshot has a non-finite idf weight')
    return new TfidfModel(normaliseSettings(snapshot.settings), snapshot.nDocs, vocabulary.slice(), Float64Array.from(idf))
  }

  /** See `fitTfidf`. */
  static fit(docs: readonly (readonly string[])[], settings?: Partial<TfidfSettings>): TfidfModel {
    const s = normaliseSettings(settings)
    const df = new Map<string, number>()
    const seen = new Set<string>()
    for (const doc of docs) {
      seen.clear()
      for (const term of doc) {
        if (seen.has(term)) continue
        seen.add(term)
        df.set(term, (df.get(term) ?? 0) + 1)
      }
    }
    const vocabulary = [...df.keys()].sort(compareCodePoints)
    const smooth = s.smoothIdf ? 1 : 0
    const n = docs.length + smooth
    // Same expression as sklearn: log(n_samples / df) + 1, both smoothed by one document.
    const idf = Float64Array.from(vocabulary, (term) => Math.log(n / ((df.get(term) ?? 0) + smooth)) + 1)
    return new TfidfModel(s, docs.length, vocabulary, idf)
  }

  /** Counts a line's known terms into the scratch; leaves touched columns sorted. */
  #count(doc: readonly string[]): { nnz: number; oov: number } {
    if (this.#touched.length < doc.length) this.#touched = new Int32Array(Math.max(doc.length, this.#touched.length * 2))
    const counts = this.#counts
    const touched = this.#touched
    let nnz = 0
    let oov = 0
    for (const term of doc) {
      const j = this.#columns.get(term)
      if (j === undefined) {
        oov++
        continue
      }
      if (counts[j] === 0) touched[nnz++] = j
      counts[j] = (counts[j] ?? 0) + 1
    }
    touched.subarray(0, nnz).sort()
    return { nnz, oov }
  }

  /** Writes the counted row as tf·idf, normalised, and clears the scratch. */
  #emit(nnz: number, indices: Int32Array, data: Float64Array, at: number): void {
    const counts = this.#counts
    const touched = this.#touched
    const { sublinearTf, norm } = this.settings
    let sum = 0
    for (let k = 0; k < nnz; k++) {
      const j = touched[k] ?? 0
      const tf = counts[j] ?? 0
      counts[j] = 0
      const v = (sublinearTf ? Math.log(tf) + 1 : tf) * (this.idf[j] ?? 0)
      indices[at + k] = j
      data[at + k] = v
      if (norm === 'l2') sum += v * v
      else if (norm === 'l1') sum += Math.abs(v)
    }
    // sklearn's inplace_csr_row_normalize_*: an all-zero row stays zero.
    if (norm === 'none' || sum === 0) return
    const scale = norm === 'l2' ? Math.sqrt(sum) : sum
    for (let k = 0; k < nnz; k++) data[at + k] = (data[at + k] ?? 0) / scale
  }
}

function normaliseSettings(settings: Partial<TfidfSettings> | undefined): TfidfSettings {
  const s: TfidfSettings = { ...DEFAULT_TFIDF_SETTINGS, ...settings }
  if (s.norm !== 'l2' && s.norm !== 'l1' && s.norm !== 'none') throw new Error(`unknown TF-IDF norm ${String(s.norm)}`)
  return Object.freeze(s)
}

/**
 * Learns the vocabulary and idf weights from tokenised lines (sklearn `fit`). Every distinct
 * token becomes a term; columns are in code-point order of the terms.
 */
export function fitTfidf(docs: readonly (readonly string[])[], settings?: Partial<TfidfSettings>): TfidfModel {
  return TfidfModel.fit(docs, settings)
}

/** `fitTfidf` then `transform` on the same lines (sklearn `fit_transform`). */
export function fitTransformTfidf(
  docs: readonly (readonly string[])[],
  settings?: Partial<TfidfSettings>
): { model: TfidfModel; matrix: TfidfMatrix } {
  const model = fitTfidf(docs, settings)
  return { model, matrix: model.transform(docs) }
}
