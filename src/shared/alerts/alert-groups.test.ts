import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AlertGroups, groupAlerts } from './alert-groups.ts'

interface TestAlert {
  templateId: number
  time: number
  score: number
  seq: number
}

const alert = (seq: number, templateId: number, time: number, score = 0.9): TestAlert => ({ seq, templateId, time, score })

/** Alerts in arrival order with roughly increasing times (some out of order, as logs are). */
const alertStream = fc
  .array(fc.record({ templateId: fc.nat(6), gap: fc.integer({ min: -5_000, max: 40_000 }), score: fc.double({ min: 0, max: 1, noNaN: true }) }), { maxLength: 300 })
  .map((items) => {
    let time = 1_700_000_000_000
    return items.map((item, seq) => alert(seq, item.templateId, (time += item.gap), item.score))
  })

describe('AlertGroups', () => {
  it('counts repeats of a template within the window as one group, newest group first', () => {
    const groups = groupAlerts([alert(1, 7, 0), alert(2, 8, 1_000), alert(3, 7, 30_000), alert(4, 7, 59_999), alert(5, 7, 60_000)], { windowMs: 60_000 })
    expect(groups.map((g) => [g.templateId, g.count, g.first.seq, g.last.seq])).toEqual([
      [7, 1, 5, 5],
      [7, 3, 1, 4],
      [8, 1, 2, 2]
    ])
  })

  it('moves a group that gets a new alert to the top and keeps its highest score', () => {
    const groups = new AlertGroups<TestAlert>()
    groups.add(alert(1, 1, 0, 0.6))
    groups.add(alert(2, 2, 10))
    groups.add(alert(3, 1, 20, 0.99))
    expect(groups.list().map((g) => [g.templateId, g.count, g.maxScore])).toEqual([
      [1, 2, 0.99],
      [2, 1, 0.9]
    ])
  })

  it('drops the least recently updated group past the bound and says how many alerts it held', () => {
    const groups = new AlertGroups<TestAlert>({ maxGroups: 2 })
    groups.add(alert(1, 1, 0))
    groups.add(alert(2, 1, 1))
    groups.add(alert(3, 2, 2))
    groups.add(alert(4, 3, 3))
    expect(groups.list().map((g) => g.templateId)).toEqual([3, 2])
    expect(groups.dropped).toBe(2)
    // The dropped template starts a new group.
    expect(groups.add(alert(5, 1, 4)).count).toBe(1)
  })

  it('loses nothing: counts plus dropped alerts add up to the alerts added, for any stream', () => {
    fc.assert(
      fc.property(alertStream, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 120_000 }), (alerts, maxGroups, windowMs) => {
        const groups = new AlertGroups<TestAlert>({ maxGroups, windowMs })
        for (const a of alerts) groups.add(a)
        const list = groups.list()
        expect(list.length).toBeLessThanOrEqual(maxGroups)
        expect(list.reduce((n, g) => n + g.count, 0) + groups.dropped).toBe(alerts.length)
        expect(groups.added).toBe(alerts.length)
        for (const g of list) {
          expect(g.first.templateId).toBe(g.templateId)
          expect(g.last.templateId).toBe(g.templateId)
          expect(Math.abs(g.last.time - g.first.time)).toBeLessThan(windowMs)
          expect(g.last.seq).toBeGreaterThanOrEqual(g.first.seq)
          expect(g.maxScore).toBeGreaterThanOrEqual(Math.max(g.first.score, g.last.score))
        }
        // Newest first: ordered by their latest alert's arrival.
        for (let i = 1; i < list.length; i++) expect((list[i - 1] as { last: TestAlert }).last.seq).toBeGreaterThan((list[i] as { last: TestAlert }).last.seq)
      })
    )
  })

  it('without a bound, groups exactly as a straightforward replay does', () => {
    fc.assert(
      fc.property(alertStream, (alerts) => {
        const expected = new Map<number, { first: TestAlert; count: number }[]>()
        for (const a of alerts) {
          const runs = expected.get(a.templateId) ?? []
          const open = runs.at(-1)
          if (open && Math.abs(a.time - open.first.time) < 60_000) open.count++
          else runs.push({ first: a, count: 1 })
          expected.set(a.templateId, runs)
        }
        const got = groupAlerts(alerts, { maxGroups: 10_000 })
        const flat = [...expected.values()].flat().sort((a, b) => a.first.seq - b.first.seq)
        expect([...got].sort((a, b) => a.first.seq - b.first.seq).map((g) => [g.first.seq, g.count])).toEqual(flat.map((r) => [r.first.seq, r.count]))
      })
    )
  })
})
