import { describe, expect, it } from 'vitest'
import { levelCode } from '../../../shared/levels.ts'
import { LineModel, rarityWeight } from './line-model.ts'
import { TemplateStats } from './template-stats.ts'
import { TimeSpread } from './time-spread.ts'

const sizeTemplate = 'Received block <*> of size <*> from <*>'

function baseline(): Map<number, TemplateStats> {
  const stats = new TemplateStats(1, sizeTemplate)
  for (let i = 0; i < 1_000; i++) stats.observe(levelCode.info, [`blk_${i}`, String(65_536 * (1 + (i % 1024))), `/10.0.0.${i % 250}`], 1_000 * i)
  return new Map([[1, stats]])
}

function model(): LineModel {
  return new LineModel(baseline(), { mode: 'baseline', totalLines: 2_000, time: new TimeSpread(), threshold: 0.5 })
}

const input = (templateId: number, params: string[], level: number = levelCode.info) => ({
  templateId,
  template: sizeTemplate,
  params,
  level,
  ts: null,
  content: ''
})

describe('line model', () => {
  it('leaves an ordinary line alone', () => {
    expect(model().scoreLine(input(1, ['blk_9', '131072', '/10.0.0.9']))).toMatchObject({ anomaly: false, reasons: [] })
  })

  it('flags a template the baseline never had, and says so', () => {
    const result = model().scoreLine({ ...input(99, []), template: 'Out of memory', level: levelCode.error })
    expect(result.anomaly).toBe(true)
    expect(result.reasons[0]).toBe('template never seen in baseline (0 of 2,000 lines) at ERROR')
  })

  it('flags a parameter far outside the baseline range, naming it', () => {
    const result = model().scoreLine(input(1, ['blk_9', '0', '/10.0.0.9']))
    expect(result.anomaly).toBe(true)
    expect(result.reasons[0]).toBe("'size 0 from' outside baseline range 65,536–65,536,000")
  })

  it('flags a level more severe than the template ever had', () => {
    const result = model().scoreLine(input(1, ['blk_9', '131072', '/10.0.0.9'], levelCode.error))
    expect(result.anomaly).toBe(true)
    expect(result.reasons).toContain('ERROR, but this template was at most INFO in the baseline')
  })

  it('weighs rarity by how many decades below one in a thousand a template sits', () => {
    expect(rarityWeight(5_000, 1_000_000, 'baseline')).toBe(0)
    expect(rarityWeight(1, 1_000_000, 'baseline')).toBeCloseTo(0.4)
    expect(rarityWeight(10, 1_000_000, 'baseline')).toBeGreaterThan(rarityWeight(100, 1_000_000, 'baseline'))
  })

  it('names key=value parameters by their key', () => {
    const stats = new TemplateStats(2, 'Chunk written size=<*> status=<*>')
    for (let i = 0; i < 100; i++) stats.observe(levelCode.info, [String(65_536 + i), i % 2 ? 'OK' : 'RETRY'], null)
    const m = new LineModel(new Map([[2, stats]]), { mode: 'baseline', totalLines: 100, time: new TimeSpread(), threshold: 0.5 })
    const result = m.scoreLine({ ...input(2, ['0', 'LOST']), template: stats.text })
    expect(result.reasons).toEqual(['size=0 outside baseline range 65,536–65,635', 'status=LOST never seen (baseline had OK, RETRY)'])
  })

  it('returns the same answer for lines that differ only in ids', () => {
    const m = model()
    const a = m.scoreLine(input(1, ['blk_1', '0', '/10.0.0.1']))
    const b = m.scoreLine(input(1, ['blk_2', '0', '/10.0.0.2']))
    expect(b).toEqual(a)
  })
})
