import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { StampCache } from './stamp-cache.ts'
import { TIMESTAMP_PATTERNS, matchTimestampWith } from './timestamp.ts'

const Y = 2024
const byName = (name: string) => TIMESTAMP_PATTERNS.find((p) => p.name === name)!

/** Stamps of one layout whose digits vary, so neighbours share some digits and not others. */
const layouts: { pattern: string; template: string }[] = [
  { pattern: 'iso', template: '2026-11-24T14:0d:dd.dddZ' },
  { pattern: 'iso', template: '2015-10-18 18:0d:dd,ddd' },
  { pattern: 'iso', template: '2017-05-16T02:00:0d.dd+0d:d0' },
  { pattern: 'iso', template: '2005-06-03-15.4d.dd.dddddd' },
  { pattern: 'iso', template: '2017-05-16 00:0d:dd' },
  { pattern: 'time', template: '1d:dd:dd.d' },
  { pattern: 'syslog', template: 'Jun 1d 15:1d:dd' },
  { pattern: 'compact-dash', template: '20171223-22:15:dd:ddd' },
  { pattern: 'epoch', template: '111783857d.ddd' }
]

describe('stamp cache', () => {
  it('reads every stamp as parsing it afresh would, whatever its neighbours', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...layouts),
        fc.array(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 12, maxLength: 12 }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        ({ pattern, template }, digitRows, keep) => {
          const p = byName(pattern)
          const cache = new StampCache(p, Y)
          let previous = template.replaceAll('d', '0')
          digitRows.forEach((digits, row) => {
            // Most lines keep the previous line's second and change only the last digits.
            let k = 0
            const fresh = template.replace(/d/g, () => String(digits[k++]))
            const stamp = keep[row] ? previous.slice(0, -2) + fresh.slice(-2) : fresh
            previous = stamp
            const line = `[${stamp}] INFO something happened`
            const expected = matchTimestampWith(p, line, 1, Y)
            const want = expected === null || expected.end < 1 + stamp.length - 1 ? null : expected.ms
            expect(cache.read(line, 1, 1 + stamp.length)).toBe(want)
          })
        }
      ),
      { numRuns: 300 }
    )
  })

  it('reads a changed fraction without parsing the stamp again', () => {
    const p = byName('iso')
    const cache = new StampCache(p, Y)
    expect(cache.read('2026-11-24T14:00:01.250Z x', 0, 24)).toBe(Date.UTC(2026, 10, 24, 14, 0, 1, 250))
    const exec = p.re.exec.bind(p.re)
    let parses = 0
    p.re.exec = (text) => {
      parses++
      return exec(text)
    }
    try {
      expect(cache.read('2026-11-24T14:00:01.937Z y', 0, 24)).toBe(Date.UTC(2026, 10, 24, 14, 0, 1, 937))
      expect(parses).toBe(0)
      expect(cache.read('2026-11-24T14:00:02.001Z z', 0, 24)).toBe(Date.UTC(2026, 10, 24, 14, 0, 2, 1))
      expect(parses).toBeGreaterThan(0)
    } finally {
      p.re.exec = exec
    }
  })
})
