import { describe, expect, it } from 'vitest'
import { bucketAt, chartColumns, countRange, hasTimelineData, snapToBuckets, timeAxisLabels, withAlpha } from './timeline-model.ts'
import type { TimelineData } from './timeline-model.ts'

const t = (iso: string): number => Date.parse(iso)
const from = t('2026-11-25T15:00:00Z')
const data: TimelineData = { fromTs: from, bucketMs: 10_000, lines: [5, 7, 0, 9], anomalies: [0, 2, 0, 1] }

describe('chart columns', () => {
  it('adds a closing point so the last bucket is drawn', () => {
    expect(chartColumns(data)).toEqual([
      [from, from + 10_000, from + 20_000, from + 30_000, from + 40_000],
      [5, 7, 0, 9, 9],
      [0, 2, 0, 1, 0]
    ])
  })

  it('knows when there is nothing to draw', () => {
    expect(hasTimelineData(null)).toBe(false)
    expect(hasTimelineData({ ...data, lines: [], anomalies: [] })).toBe(false)
    expect(hasTimelineData(data)).toBe(true)
  })
})

describe('snapToBuckets', () => {
  it('widens a brush to whole buckets', () => {
    expect(snapToBuckets(data, from + 12_000, from + 25_000)).toEqual({ fromTs: from + 10_000, toTs: from + 30_000 })
    expect(snapToBuckets(data, from + 25_000, from + 12_000)).toEqual({ fromTs: from + 10_000, toTs: from + 30_000 })
  })

  it('clamps to the data and keeps at least one bucket', () => {
    expect(snapToBuckets(data, from - 99_000, from + 99_000)).toEqual({ fromTs: from, toTs: from + 40_000 })
    expect(snapToBuckets(data, from + 10_000, from + 10_000)).toEqual({ fromTs: from + 10_000, toTs: from + 20_000 })
  })

  it('rounds fractional bucket edges outwards to whole milliseconds', () => {
    const odd: TimelineData = { fromTs: 1000, bucketMs: 333.4, lines: [1, 1, 1], anomalies: [0, 0, 0] }
    expect(snapToBuckets(odd, 1400, 1500)).toEqual({ fromTs: 1333, toTs: 1667 })
  })

  it('finds the bucket under a time', () => {
    expect(bucketAt(data, from)).toBe(0)
    expect(bucketAt(data, from + 15_000)).toBe(1)
    expect(bucketAt(data, from + 40_000)).toBe(3)
    expect(bucketAt(data, from - 1)).toBe(-1)
  })
})

describe('axis labels', () => {
  it('labels minutes with the date on the first tick and at midnight', () => {
    const splits = [t('2026-11-25T23:58:00Z'), t('2026-11-25T23:59:00Z'), t('2026-11-26T00:00:00Z'), t('2026-11-26T00:01:00Z')]
    expect(timeAxisLabels(splits, 60_000)).toEqual(['11-25 23:58', '23:59', '11-26 00:00', '00:01'])
  })

  it('adds seconds and milliseconds for finer ticks, dates for days', () => {
    expect(timeAxisLabels([t('2026-11-25T15:08:05Z'), t('2026-11-25T15:08:10Z')], 5_000)).toEqual(['11-25 15:08:05', '15:08:10'])
    expect(timeAxisLabels([t('2026-11-25T15:08:05.250Z')], 250)).toEqual(['11-25 15:08:05.250'])
    expect(timeAxisLabels([t('2026-11-25T00:00:00Z'), t('2026-11-26T00:00:00Z')], 86_400_000)).toEqual(['2026-11-25', '2026-11-26'])
  })
})

describe('scales and colours', () => {
  it('gives counts headroom and never an empty range', () => {
    expect(countRange([0, 0])).toEqual([0, 1])
    expect(countRange([10, 100])).toEqual([0, 108])
  })

  it('adds alpha to hex colours', () => {
    expect(withAlpha('#e5534b', 0.5)).toBe('rgba(229, 83, 75, 0.5)')
    expect(withAlpha('#fff', 1)).toBe('rgba(255, 255, 255, 1)')
    expect(withAlpha('rgb(1 2 3)', 0.5)).toBe('rgb(1 2 3)')
  })
})
