import { describe, expect, it } from 'vitest'
import { compactNumber, describeTimeRange, formatCount, formatDuration, formatShare, formatTimeRange, truncate, utcDateTime, utcTime } from './format.ts'

const t = (iso: string): number => Date.parse(iso)

describe('numbers', () => {
  it('groups counts and compacts huge ones', () => {
    expect(formatCount(0)).toBe('0')
    expect(formatCount(1_234_567)).toBe('1,234,567')
    expect(formatCount(12_345_678)).toBe('12M')
  })

  it('compacts axis numbers', () => {
    expect(compactNumber(950)).toBe('950')
    expect(compactNumber(1_200)).toBe('1.2k')
    expect(compactNumber(1_000)).toBe('1k')
    expect(compactNumber(12_400)).toBe('12k')
    expect(compactNumber(3_400_000)).toBe('3.4M')
    expect(compactNumber(999_900)).toBe('1M')
    expect(compactNumber(1_100_000_000)).toBe('1.1B')
  })

  it('formats the share of lines by magnitude', () => {
    expect(formatShare(0, 100)).toBe('0%')
    expect(formatShare(1, 1_000_000)).toBe('<0.01%')
    expect(formatShare(42, 10_000)).toBe('0.42%')
    expect(formatShare(42, 1_000)).toBe('4.2%')
    expect(formatShare(420, 1_000)).toBe('42%')
    expect(formatShare(5, 0)).toBe('–')
  })
})

describe('UTC times', () => {
  it('shows milliseconds only when present', () => {
    expect(utcTime(t('2026-11-25T15:08:00Z'))).toBe('15:08:00')
    expect(utcTime(t('2026-11-25T15:08:00.250Z'))).toBe('15:08:00.250')
    expect(utcTime(t('2026-11-25T15:08:00Z'), 'always')).toBe('15:08:00.000')
    expect(utcDateTime(t('2026-11-25T05:06:07Z'))).toBe('2026-11-25 05:06:07')
  })

  it('formats ranges within a day and across midnight', () => {
    expect(formatTimeRange(t('2026-11-25T15:08:00Z'), t('2026-11-25T15:11:30Z'))).toBe('15:08:00–15:11:30')
    expect(formatTimeRange(t('2026-11-25T23:58:00Z'), t('2026-11-26T00:01:00Z'))).toBe('2026-11-25 23:58:00–2026-11-26 00:01:00')
    expect(formatTimeRange(t('2026-11-25T15:08:00Z'), undefined)).toBe('≥ 15:08:00')
    expect(formatTimeRange(undefined, t('2026-11-25T15:08:00Z'))).toBe('≤ 15:08:00')
    expect(describeTimeRange(t('2026-11-25T15:08:00Z'), t('2026-11-25T15:11:30Z'))).toBe('2026-11-25 15:08:00 – 15:11:30 UTC')
  })
})

describe('truncate', () => {
  it('cuts with an ellipsis', () => {
    expect(truncate('short', 10)).toBe('short')
    expect(truncate('Receiving block <*> src', 20)).toBe('Receiving block <*>…')
  })
})

describe('formatDuration', () => {
  it('picks a unit', () => {
    expect(formatDuration(250)).toBe('250ms')
    expect(formatDuration(5_000)).toBe('5s')
    expect(formatDuration(90_000)).toBe('1.5min')
    expect(formatDuration(7_200_000)).toBe('2h')
    expect(formatDuration(3 * 86_400_000)).toBe('3d')
  })
})
