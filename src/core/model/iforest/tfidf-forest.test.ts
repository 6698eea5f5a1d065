import { describe, expect, it } from 'vitest'
import { loadSklearnFixture } from './fixtures/sklearn-fixture.ts'
import { TfidfForest, fitTfidfForest } from './tfidf-forest.ts'
import type { TfidfForestSnapshot } from './tfidf-forest.ts'

const fixture = loadSklearnFixture()

describe('TfidfForest (TF-IDF + Isolation Forest recipe)', () => {
  const model = fitTfidfForest(fixture.train)

  it('uses the recipe defaults: contamination 0.05, seed 42, 100 trees', () => {
    expect(model.forest.settings).toEqual({ nEstimators: 100, maxSamples: 'auto', contamination: 0.05, randomSeed: 42 })
    const flagged = Array.from(model.score(fixture.train).decision).filter((d) => d < 0).length
    expect(flagged).toBeLessThanOrEqual(15)
    expect(flagged).toBeGreaterThanOrEqual(13)
  })

  it('scores a line alone as in a batch, and reports unknown tokens', () => {
    const batch = model.score(fixture.holdout)
    fixture.holdout.forEach((tokens, i) => {
      const one = model.scoreLine(tokens)
      expect(one.score).toBe(batch.score[i])
      expect(one.decision).toBe(batch.decision[i])
      expect(one.oov).toBe(batch.oov[i])
    })
    // The blind spot the oov count is for: an all-unknown line looks like an empty one.
    const unknown = model.scoreLine(['never', 'seen', 'before'])
    expect(unknown.oov).toBe(3)
    expect(unknown.score).toBe(model.scoreLine([]).score)
    expect(unknown.decision).toBeGreaterThan(0)
  })

  it('round-trips through a JSON snapshot', () => {
    const copy = TfidfForest.fromSnapshot(JSON.parse(JSON.stringify(model.toSnapshot())) as TfidfForestSnapshot)
    expect(Array.from(copy.score(fixture.train).score)).toEqual(Array.from(model.score(fixture.train).score))
    expect(() => TfidfForest.fromSnapshot({ ...model.toSnapshot(), version: 3 } as unknown as TfidfForestSnapshot)).toThrow(/version 3/)
    const mismatched = { ...model.toSnapshot(), forest: fitTfidfForest([['a'], ['b']]).forest.toSnapshot() }
    expect(() => TfidfForest.fromSnapshot(mismatched)).toThrow(/terms but the forest expects/)
  })
})
