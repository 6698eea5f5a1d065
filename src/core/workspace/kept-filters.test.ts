import { describe, expect, it } from 'vitest'
import { DenseLines } from '../case/line-list.ts'
import { KeptFilters } from './kept-filters.ts'

function tracked(released: string[], name: string): DenseLines {
  const lines = new DenseLines(Int32Array.of(1, 2, 3))
  lines.release = () => released.push(name)
  return lines
}

describe('kept filters', () => {
  it('keep the latest results and give back the memory of each one dropped', () => {
    const released: string[] = []
    const kept = new KeptFilters(2)
    for (const id of ['a', 'b', 'c', 'd']) kept.keep(id, { sourceId: 1, lines: tracked(released, id) })
    expect(released).toEqual(['a', 'b'])
    expect(kept.get('a')).toBeUndefined()
    expect(kept.get('d')?.lines.length).toBe(3)
    kept.clear()
    expect(released).toEqual(['a', 'b', 'c', 'd'])
    expect(kept.size).toBe(0)
  })
})
