import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareTemplates, formatRatio, rateZ } from './compare-templates.ts'
import type { TemplateCounts } from './compare-templates.ts'

const baseline: TemplateCounts = {
  totalLines: 100_000,
  templates: [
    { id: 0, text: 'request <*> served', count: 80_000 },
    { id: 1, text: 'cache miss for <*>', count: 10_000 },
    { id: 2, text: 'pool size <*>', count: 2_000 },
    { id: 3, text: 'nightly job done', count: 3 },
    { id: 4, text: 'retrying payment <*>', count: 100 },
    { id: 5, text: 'rare thing', count: 2 }
  ]
}

const incident: TemplateCounts = {
  totalLines: 10_000,
  templates: [
    { id: 0, text: 'request <*> served', count: 7_900, firstLine: 1 },
    { id: 1, text: 'cache miss for <*>', count: 1_050, firstLine: 2 },
    { id: 4, text: 'retrying payment <*>', count: 600, firstLine: 40 },
    { id: 5, text: 'rare thing', count: 1, firstLine: 9 },
    { id: 9, text: 'connection pool exhausted', count: 300, firstLine: 5_000 },
    { id: 10, text: 'circuit breaker opened', count: 1, firstLine: 6_000 }
  ]
}

describe('compareTemplates', () => {
  const result = compareTemplates(baseline, incident)

  it('lists every template new in the incident, most frequent first, with its first line', () => {
    expect(result.added.map((r) => [r.template, r.incidentCount, r.firstLine])).toEqual([
      ['connection pool exhausted', 300, 5_000],
      ['circuit breaker opened', 1, 6_000]
    ])
    expect(result.added[0]?.ratio).toBeNull()
  })

  it('lists a vanished template only when the baseline rate predicts enough of it', () => {
    // pool size: 2,000 per 100k → 200 expected in 10k lines, none seen. The nightly job
    // (0.3 expected) is absent by chance.
    expect(result.vanished.map((r) => [r.template, r.baselineCount, r.expected])).toEqual([['pool size <*>', 2_000, 200]])
  })

  it('reports clear rate changes with both counts, and not the noise', () => {
    expect(result.changed.map((r) => [r.template, r.baselineCount, r.incidentCount])).toEqual([['retrying payment <*>', 100, 600]])
    expect(result.changed[0]?.ratio).toBeCloseTo((600.5 / 10_000) / (100.5 / 100_000), 6)
    expect(formatRatio(result.changed[0]?.ratio ?? null)).toBe('×60')
  })

  it('reports drops as well as rises', () => {
    const drop = compareTemplates(baseline, { totalLines: 10_000, templates: [{ id: 1, text: 'cache miss for <*>', count: 50 }] })
    expect(drop.changed.map((r) => formatRatio(r.ratio))).toEqual(['÷20'])
  })

  it('treats everything as new against an empty baseline', () => {
    const none = compareTemplates({ totalLines: 0, templates: [] }, incident)
    expect(none.added).toHaveLength(incident.templates.length)
    expect(none.changed).toEqual([])
    expect(none.vanished).toEqual([])
  })

  it('finds nothing when the incident is the baseline at the same rates', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 5 }), (counts, scale) => {
        const templates = counts.map((count, id) => ({ id, text: `t${id}`, count }))
        const total = counts.reduce((a, b) => a + b, 0)
        const scaled = { totalLines: total * scale, templates: templates.map((t) => ({ ...t, count: t.count * scale })) }
        const same = compareTemplates({ totalLines: total, templates }, scaled)
        return same.added.length === 0 && same.vanished.length === 0 && same.changed.length === 0
      })
    )
  })
})

describe('rateZ and formatRatio', () => {
  it('is zero for equal rates and grows with the excess', () => {
    expect(rateZ(100, 10, 1_000, 100)).toBeCloseTo(0, 9)
    expect(rateZ(100, 40, 1_000, 100)).toBeGreaterThan(3)
  })

  it('says ratios as people do', () => {
    expect([formatRatio(null), formatRatio(2.54), formatRatio(0.25), formatRatio(123.4)]).toEqual(['new', '×2.5', '÷4', '×123'])
  })
})
