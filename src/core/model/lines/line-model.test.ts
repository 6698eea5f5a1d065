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

describe('self-trained line model: bursts and readouts', () => {
  // The file is its own reference: 10,000 lines, one a second. A burst template's 50 lines sit
  // within 50 seconds and 50 consecutive records in the middle of it.
  const total = 10_000
  const whole = new TimeSpread()
  for (let i = 0; i < total; i++) whole.observe(i * 1_000)

  function template(id: number, text: string, level: number, value: string | null, placed: 'burst' | 'busy stretch'): TemplateStats {
    const stats = new TemplateStats(id, text)
    for (let i = 0; i < 50; i++) {
      // A busy stretch: the lines are close in time, yet spread evenly among the file's records.
      const position = placed === 'burst' ? 5_000 + i : i * 200
      stats.observe(level, value === null ? [] : [value], (5_000 + i) * 1_000, position)
    }
    return stats
  }

  function score(stats: TemplateStats, level: number, value: string | null): ReturnType<LineModel['scoreLine']> {
    const m = new LineModel(new Map([[stats.id, stats]]), { mode: 'self', totalLines: total, time: whole, threshold: 0.5 })
    return m.scoreLine({ templateId: stats.id, template: stats.text, params: value === null ? [] : [value], level, ts: null, content: '' })
  }

  it('flags a burst of errors, naming the window', () => {
    const result = score(template(1, 'Could not acquire database connection', levelCode.error, null, 'burst'), levelCode.error, null)
    expect(result.anomaly).toBe(true)
    expect(result.reasons[0]).toMatch(/^all 50 lines of this template fall within 01:23:20–01:24:09/)
  })

  it('does not flag a burst of routine lines on its own, but still says it is one', () => {
    const result = score(template(2, 'Compacted index segment', levelCode.info, null, 'burst'), levelCode.info, null)
    expect(result.anomaly).toBe(false)
    expect(result.reasons[0]).toMatch(/^all 50 lines of this template fall within/)
  })

  it('does not call lines a burst when they are spread among the records of a busy stretch', () => {
    const result = score(template(3, 'Could not acquire database connection', levelCode.error, null, 'busy stretch'), levelCode.error, null)
    expect(result.reasons).toEqual(['logged at ERROR'])
  })

  it('discounts the level of a line that only reads out a number, not of a statement with a reason', () => {
    const readout = score(template(4, 'instruction address: <*>', levelCode.fatal, '0x00004ed8', 'burst'), levelCode.fatal, '0x00004ed8')
    expect(readout.anomaly).toBe(false)
    expect(readout.reasons).toContain('logged at FATAL, but it only reads out a value (a row of a dump)')
    const statement = score(template(5, 'data storage interrupt', levelCode.fatal, null, 'burst'), levelCode.fatal, null)
    expect(statement.anomaly).toBe(true)
    const reason = score(template(6, 'Connection failed: <*>', levelCode.fatal, 'timeout', 'burst'), levelCode.fatal, 'timeout')
    expect(reason.anomaly).toBe(true)
    expect(reason.reasons).toContain('logged at FATAL')
  })
})

describe('self-trained line model: levels', () => {
  function requests(errors: number): TemplateStats {
    const stats = new TemplateStats(7, 'Completed POST <*> <*> in <*> ms')
    for (let i = 0; i < 600; i++) stats.observe(levelCode.info, ['/api/cart', '200', String(i % 90)], null)
    for (let i = 0; i < errors; i++) stats.observe(levelCode.error, ['/api/pay', '503', '30000'], null)
    return stats
  }
  const score = (stats: TemplateStats, level: number) =>
    new LineModel(new Map([[7, stats]]), { mode: 'self', totalLines: 10_000, time: new TimeSpread(), threshold: 0.5 }).scoreLine({
      templateId: 7,
      template: stats.text,
      params: [],
      level,
      ts: null,
      content: ''
    })

  it('flags a level only a small minority of the template reaches, though the file itself holds it', () => {
    const result = score(requests(30), levelCode.error)
    expect(result.anomaly).toBe(true)
    expect(result.reasons[0]).toBe("ERROR, but 95% of this template's 630 lines in the file are at most INFO")
    expect(score(requests(30), levelCode.info).anomaly).toBe(false)
  })

  it('does not call a level unusual when many of the template lines have it', () => {
    expect(score(requests(200), levelCode.error).reasons).toEqual(['logged at ERROR'])
  })
})
