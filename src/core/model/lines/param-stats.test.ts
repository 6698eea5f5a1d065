import { describe, expect, it } from 'vitest'
import { ParamStats, parseNumber } from './param-stats.ts'

function observed(values: readonly string[]): ParamStats {
  const stats = new ParamStats()
  for (const v of values) stats.observe(v)
  return stats
}

describe('parameter statistics', () => {
  it('reads plain numbers and numbers with a unit, and nothing else', () => {
    expect(parseNumber('65536')).toBe(65_536)
    expect(parseNumber('-3.5')).toBe(-3.5)
    expect(parseNumber('120ms')).toBe(120)
    expect(parseNumber('0x1f')).toBeNull()
    expect(parseNumber('blk_123')).toBeNull()
  })

  it('flags a number well outside the baseline range, with its ratio', () => {
    // Sizes in log order go up and down.
    const stats = observed(Array.from({ length: 40 }, (_, i) => String(65_536 * (((i * 17) % 40) + 1))))
    expect(stats.judge('0')).toMatchObject({ kind: 'range', value: 0, min: 65_536 })
    expect(stats.judge('131072')).toBeNull()
    // Just outside the range is tolerated (ids and counters drift).
    expect(stats.judge(String(65_536 * 41))).toBeNull()
    expect(stats.judge(String(65_536 * 400))).toMatchObject({ kind: 'range' })
  })

  it('lets a counter run past its baseline range, but not fall below it', () => {
    // Order numbers: up from one line to the next, as a later log's are larger still.
    const orders = observed(Array.from({ length: 60 }, (_, i) => String(100_000 + i * 7 + (i % 5 === 0 ? -3 : 0))))
    expect(orders.rising()).toBe(true)
    expect(orders.judge('900000')).toBeNull()
    expect(orders.judge('12')).toMatchObject({ kind: 'range', value: 12 })
    // The same kind of numbers in no order are a measure: far above the range is news.
    const sizes = observed(Array.from({ length: 60 }, (_, i) => String(100_000 + ((i * 37) % 60) * 7)))
    expect(sizes.rising()).toBe(false)
    expect(sizes.judge('900000')).toMatchObject({ kind: 'range' })
    // A model saved before counters were told apart judges as before.
    const older = ParamStats.fromSnapshot({ ...orders.toSnapshot(), steps: undefined, rises: undefined })
    expect(older.judge('900000')).toMatchObject({ kind: 'range' })
  })

  it('flags an unseen value of a small vocabulary, but not of a high-cardinality one', () => {
    const status = observed(Array.from({ length: 50 }, (_, i) => (i % 3 === 0 ? 'OK' : 'RETRY')))
    expect(status.judge('CORRUPT')).toEqual({ kind: 'unseen', value: 'CORRUPT', seen: ['OK', 'RETRY'] })
    expect(status.judge('OK')).toBeNull()
    const ids = observed(Array.from({ length: 50 }, (_, i) => `req-${i}x`))
    expect(ids.values).toBeNull()
    expect(ids.judge('req-999x')).toBeNull()
  })

  it('says nothing with too few samples', () => {
    expect(observed(['1', '2', '3']).judge('1000000')).toBeNull()
  })

  it('names a typical value: the most frequent while values are few, else the smallest number', () => {
    expect(observed(['OK', 'RETRY', 'OK']).typical()).toBe('OK')
    expect(observed(Array.from({ length: 40 }, (_, i) => String(100 + i))).typical()).toBe('100')
    expect(observed(Array.from({ length: 40 }, (_, i) => `req-${i}x`)).typical()).toBe('')
  })

  it('round-trips through its snapshot', () => {
    const stats = observed(Array.from({ length: 30 }, (_, i) => String(i * 10)))
    const copy = ParamStats.fromSnapshot(JSON.parse(JSON.stringify(stats.toSnapshot())))
    expect(copy.judge('99999')).toEqual(stats.judge('99999'))
    expect(copy.toSnapshot()).toEqual(stats.toSnapshot())
  })
})
