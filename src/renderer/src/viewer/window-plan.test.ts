import { describe, expect, it } from 'vitest'
import { needsRecentre, thumb, topForThumb, windowAround } from './window-plan.ts'

describe('viewer window plan', () => {
  it('centres a window on an index, clamped to the list', () => {
    expect(windowAround(5_000, 10_000_000, 1_000)).toEqual({ start: 4_500, size: 1_000 })
    expect(windowAround(10, 10_000_000, 1_000)).toEqual({ start: 0, size: 1_000 })
    expect(windowAround(9_999_999, 10_000_000, 1_000)).toEqual({ start: 9_999_000, size: 1_000 })
    expect(windowAround(3, 40, 1_000)).toEqual({ start: 0, size: 40 })
  })

  it('moves the window only near an edge that is not the end of the list', () => {
    const w = { start: 4_000, size: 1_000 }
    expect(needsRecentre(w, 4_500, 40, 10_000)).toBe(false)
    expect(needsRecentre(w, 4_100, 40, 10_000)).toBe(true)
    expect(needsRecentre(w, 4_900, 40, 10_000)).toBe(true)
    expect(needsRecentre({ start: 0, size: 1_000 }, 0, 40, 10_000)).toBe(false)
    expect(needsRecentre({ start: 9_000, size: 1_000 }, 9_960, 40, 10_000)).toBe(false)
  })

  it('maps a position to a scrollbar thumb and back', () => {
    const total = 10_000_000
    const t = thumb(5_000_000, 50, total, 800)
    expect(t.length).toBe(24)
    expect(t.offset).toBe(388)
    expect(Math.abs(topForThumb(t.offset, 50, total, 800) - 5_000_000)).toBeLessThan(total / 700)
    expect(thumb(0, 50, 30, 800)).toEqual({ offset: 0, length: 800 })
    expect(topForThumb(10_000, 50, total, 800)).toBe(total - 50)
  })
})
