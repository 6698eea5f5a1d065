import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { AnomalyColumnsBuilder } from './anomaly-columns.ts'

describe('flagged lines as columns', () => {
  it('give back every line with its own reasons, each distinct list once as its JSON', () => {
    const reason = fc.constantFrom('never seen', 'rare at ERROR', 'a\u0000b', 'a', 'b', '2', '')
    const line = fc.record({ score: fc.double({ noNaN: true }), template: fc.nat(), reasons: fc.array(reason, { maxLength: 3 }) })
    fc.assert(
      fc.property(fc.array(fc.array(line, { maxLength: 40 }), { maxLength: 4 }), (batches) => {
        const builder = new AnomalyColumnsBuilder()
        let lineNo = 0
        for (const batch of batches) {
          for (const l of batch) builder.add(++lineNo, l.score, l.template, l.reasons)
          const taken = builder.take()
          expect(taken.count).toBe(batch.length)
          expect(new Set(taken.reasons).size).toBe(taken.reasons.length)
          const back = Array.from({ length: taken.count }, (_, i) => ({
            score: taken.scores[i],
            template: taken.templates[i],
            reasons: JSON.parse(taken.reasons[taken.reasonIds[i] as number] as string) as string[]
          }))
          expect(back).toEqual(batch)
          expect(Array.from(taken.lines)).toEqual(batch.map((_, i) => lineNo - batch.length + i + 1))
        }
      }),
      { numRuns: 300 }
    )
  })
})
