import { describe, expect, it } from 'vitest'
import { levelCode } from '../../../shared/levels.ts'
import { TemplateStats } from './template-stats.ts'
import { positionConcentration } from './time-spread.ts'

function burst(): TemplateStats {
  const stats = new TemplateStats(1, 'Could not acquire database connection')
  for (let i = 0; i < 50; i++) stats.observe(levelCode.error, [], 1_000 * i, 5_000 + i)
  return stats
}

describe('template statistics', () => {
  it('keeps where its lines sit among the records through a snapshot', () => {
    const copy = TemplateStats.fromSnapshot(JSON.parse(JSON.stringify(burst().toSnapshot())))
    expect(positionConcentration(copy.positions, copy.count, 10_000)).toBeCloseTo(50 / 10_000, 3)
  })

  it('reads a snapshot written before positions were kept, and then does not judge by them', () => {
    const { positions: _dropped, ...older } = burst().toSnapshot()
    const copy = TemplateStats.fromSnapshot(older)
    expect(copy.count).toBe(50)
    expect(positionConcentration(copy.positions, copy.count, 10_000)).toBeNull()
  })
})
