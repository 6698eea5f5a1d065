import { describe, expect, it } from 'vitest'
import { csrFromJson, loadSklearnFixture } from '../iforest/fixtures/sklearn-fixture.ts'
import { compareCodePoints } from '../../../shared/code-point-order.ts'
import type { CsrMatrix } from './csr.ts'
import { csrFromDense, csrRow } from './csr.ts'
import { TfidfModel, fitTfidf, fitTransformTfidf } from './vectorizer.ts'
import type { TfidfSnapshot } from './vectorizer.ts'

const fixture = loadSklearnFixture()

function rowMap(m: CsrMatrix, i: number): Map<number, number> {
  const r = csrRow(m, i)
  return new Map(Array.from(r.indices, (c, k) => [c, r.data[k] ?? Number.NaN]))
}

function expectSameMatrix(ours: CsrMatrix, theirs: CsrMatrix): void {
  expect(ours.nRows).toBe(theirs.nRows)
  expect(ours.nCols).toBe(theirs.nCols)
  for (let i = 0; i < ours.nRows; i++) {
    const a = rowMap(ours, i)
    const b = rowMap(theirs, i)
    expect([...a.keys()].sort((x, y) => x - y), `row ${i} columns`).toEqual([...b.keys()].sort((x, y) => x - y))
    for (const [c, v] of b) expect(Math.abs((a.get(c) ?? Number.NaN) - v), `row ${i} col ${c}`).toBeLessThan(1e-9)
  }
}

describe('TF-IDF against scikit-learn (recorded fixture)', () => {
  const { model, matrix } = fitTransformTfidf(fixture.train)

  it('learns the same vocabulary, in the same column order', () => {
    expect(model.vocabulary).toEqual(fixture.tfidf.vocabulary)
  })

  it('learns the same idf weights', () => {
    fixture.tfidf.idf.forEach((w, j) => expect(Math.abs((model.idf[j] ?? Number.NaN) - w)).toBeLessThan(1e-12))
  })

  it('gives the same matrix on the training lines (to 1e-9)', () => {
    expectSameMatrix(matrix, csrFromJson(fixture.tfidf.train))
  })

  it('gives the same matrix on unseen lines, dropping unknown words as sklearn does', () => {
    expectSameMatrix(model.transform(fixture.holdout), csrFromJson(fixture.tfidf.holdout))
  })

  it('counts the unknown tokens sklearn drops', () => {
    const m = model.transform(fixture.holdout)
    fixture.holdout.forEach((doc, i) => {
      expect(m.oov[i]).toBe(doc.filter((t) => model.columnOf(t) < 0).length)
      expect(m.tokens[i]).toBe(doc.length)
    })
    expect(Array.from(m.oov)).toContain(4) // "completely unseen words here": a zero row, all unknown
    expect(m.oov.every((k) => k >= 0)).toBe(true)
  })

  it('has sorted columns and unit L2 norm on every non-empty row', () => {
    for (let i = 0; i < matrix.nRows; i++) {
      const r = csrRow(matrix, i)
      for (let k = 1; k < r.indices.length; k++) expect(r.indices[k]).toBeGreaterThan(r.indices[k - 1] ?? -1)
      const norm = Math.hypot(...r.data)
      if (r.indices.length > 0) expect(norm).toBeCloseTo(1, 12)
    }
  })

  it('transformOne equals the matching row of transform', () => {
    const m = model.transform(fixture.holdout)
    fixture.holdout.forEach((doc, i) => {
      const one = model.transformOne(doc)
      const row = csrRow(m, i)
      expect(Array.from(one.indices)).toEqual(Array.from(row.indices))
      expect(Array.from(one.data)).toEqual(Array.from(row.data))
      expect(one.oov).toBe(m.oov[i])
    })
  })
})

describe('TF-IDF by hand', () => {
  const docs = [['a', 'b', 'b'], ['a', 'c'], ['a']]

  it('uses smooth idf ln((1+n)/(1+df)) + 1 and raw counts', () => {
    const model = fitTfidf(docs, { norm: 'none' })
    expect(model.vocabulary).toEqual(['a', 'b', 'c'])
    expect(model.idf[0]).toBeCloseTo(Math.log(4 / 4) + 1, 15)
    expect(model.idf[1]).toBeCloseTo(Math.log(4 / 2) + 1, 15)
    const r = model.transformOne(['b', 'b', 'zzz'])
    expect(Array.from(r.indices)).toEqual([1])
    expect(r.data[0]).toBeCloseTo(2 * (Math.log(2) + 1), 15)
    expect(r.oov).toBe(1)
  })

  it('supports the unsmoothed idf, sublinear tf and l1 norm variants', () => {
    const model = fitTfidf(docs, { smoothIdf: false, sublinearTf: true, norm: 'l1' })
    expect(model.idf[1]).toBeCloseTo(Math.log(3 / 1) + 1, 15)
    const r = model.transformOne(['a', 'b', 'b'])
    const a = 1 * 1
    const b = (1 + Math.log(2)) * (Math.log(3) + 1)
    expect(r.data[0]).toBeCloseTo(a / (a + b), 15)
    expect(r.data[1]).toBeCloseTo(b / (a + b), 15)
  })

  it('gives an empty row for an empty or all-unknown line', () => {
    const model = fitTfidf(docs)
    const m = model.transform([[], ['x', 'y']])
    expect(Array.from(m.indptr)).toEqual([0, 0, 0])
    expect(Array.from(m.oov)).toEqual([0, 2])
  })

  it('orders terms by code point like Python, not by UTF-16 unit', () => {
    const terms = ['\u{1F600}', '\uFF21', 'b', 'B', '\u00e9', 'a']
    const model = fitTfidf([terms])
    expect(model.vocabulary).toEqual(['B', 'a', 'b', '\u00e9', '\uFF21', '\u{1F600}'])
    expect(compareCodePoints('\u{1F600}', '\uFF21')).toBeGreaterThan(0)
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0)
    expect(compareCodePoints('same', 'same')).toBe(0)
  })
})

describe('TF-IDF snapshot', () => {
  it('round-trips through JSON with identical output', () => {
    const model = fitTfidf(fixture.train)
    const copy = TfidfModel.fromSnapshot(JSON.parse(JSON.stringify(model.toSnapshot())) as TfidfSnapshot)
    const a = model.transform(fixture.holdout)
    const b = copy.transform(fixture.holdout)
    expect(Array.from(b.indices)).toEqual(Array.from(a.indices))
    expect(Array.from(b.data)).toEqual(Array.from(a.data))
    expect(copy.nDocs).toBe(fixture.train.length)
  })

  it('rejects foreign or damaged snapshots with a clear error', () => {
    const good = fitTfidf([['a', 'b']]).toSnapshot()
    expect(() => TfidfModel.fromSnapshot({ ...good, version: 2 } as unknown as TfidfSnapshot)).toThrow(/version 2/)
    expect(() => TfidfModel.fromSnapshot({ ...good, kind: 'forest' } as unknown as TfidfSnapshot)).toThrow(/not a TF-IDF/)
    expect(() => TfidfModel.fromSnapshot({ ...good, idf: [1] })).toThrow(/2 terms but 1 idf/)
    expect(() => TfidfModel.fromSnapshot({ ...good, vocabulary: ['b', 'a'] })).toThrow(/not sorted/)
  })
})

describe('csrFromDense', () => {
  it('keeps only non-zero values', () => {
    const m = csrFromDense([[0, 2, 0], [0, 0, 0], [1, 0, 3]], 3)
    expect(Array.from(m.indptr)).toEqual([0, 1, 1, 3])
    expect(Array.from(m.indices)).toEqual([1, 0, 2])
    expect(Array.from(m.data)).toEqual([2, 1, 3])
  })
})
