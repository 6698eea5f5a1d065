import fc from 'fast-check'
import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ReasonTally } from './reason-tally.ts'

describe('ReasonTally', () => {
  it('counts each reason of each flagged line, as a query over the stored reasons does', () => {
    const db = new Database(':memory:')
    db.exec('CREATE TABLE anomalies (reasons TEXT)')
    const insert = db.prepare('INSERT INTO anomalies VALUES (?)')
    const reason = fc.constantFrom('rare template', 'never seen', 'ERROR, but', 'é accent', '😀 emoji', '\uffff high', 'z')
    fc.assert(
      fc.property(fc.array(fc.array(reason, { maxLength: 3 }), { maxLength: 8 }), fc.array(fc.nat(7), { maxLength: 60 }), (verdicts, picks) => {
        db.exec('DELETE FROM anomalies')
        const shared = verdicts.map((reasons) => ({ reasons }))
        const tally = new ReasonTally()
        for (const p of picks) {
          const verdict = shared[p % Math.max(1, shared.length)]
          if (!verdict) continue
          tally.add(verdict)
          insert.run(JSON.stringify(verdict.reasons))
        }
        const expected = db
          .prepare(`SELECT r.value AS reason, count(*) AS count FROM anomalies a, json_each(a.reasons) r GROUP BY r.value ORDER BY count DESC, reason LIMIT 5`)
          .all()
        expect(tally.top(5)).toEqual(expected)
      })
    )
  })
})
