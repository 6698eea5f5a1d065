import { describe, expect, it } from 'vitest'
import { parseGotoTarget } from './goto-target.ts'

const day = Date.UTC(2026, 10, 24, 15, 0, 0)

describe('go to', () => {
  it('reads line numbers', () => {
    expect(parseGotoTarget(' 1234 ', day)).toEqual({ kind: 'line', lineNo: 1234 })
    expect(parseGotoTarget('0', day)).toMatchObject({ kind: 'error' })
  })

  it('reads times of day on the log’s first day, and ISO timestamps', () => {
    expect(parseGotoTarget('15:09', day)).toEqual({ kind: 'time', ts: Date.UTC(2026, 10, 24, 15, 9, 0) })
    expect(parseGotoTarget('15:09:30.25', day)).toEqual({ kind: 'time', ts: Date.UTC(2026, 10, 24, 15, 9, 30, 250) })
    expect(parseGotoTarget('2026-11-24T15:10:00Z', day)).toEqual({ kind: 'time', ts: Date.UTC(2026, 10, 24, 15, 10, 0) })
  })

  it('explains what it cannot read', () => {
    expect(parseGotoTarget('25:00', day)).toMatchObject({ kind: 'error' })
    expect(parseGotoTarget('15:09', null)).toEqual({ kind: 'error', message: 'This log has no timestamps' })
    expect(parseGotoTarget('yesterday', day)).toMatchObject({ kind: 'error' })
  })
})
