import { describe, expect, it } from 'vitest'
import { resolveSession, SessionTracker } from './session-tracker.ts'

describe('session tracker', () => {
  it('re-keys a session tracked by templates as mined once some merged', () => {
    const tracker = new SessionTracker()
    // Template 5 later merged into 2, and 7 into 3.
    ;[5, 2, 7, 3, 4].forEach((template, i) => tracker.add('s', template, i + 1, 100 + i, false))
    const merged = new Map([
      [5, 2],
      [7, 3]
    ])
    const session = tracker.sessions.get('s')!
    resolveSession(session, (id) => merged.get(id) ?? id)
    expect(session.sequence).toEqual([2, 2, 3, 3, 4])
    expect([...session.counts]).toEqual([
      [2, 2],
      [3, 2],
      [4, 1]
    ])
    expect([session.kind, session.subkind]).toEqual(['2', '2>2'])
    expect([session.firstLine, session.lastLine, session.lines]).toEqual([1, 5, 5])
  })

  it('leaves a session alone when none of its templates moved', () => {
    const tracker = new SessionTracker()
    tracker.add('s', 1, 1, null, false)
    const session = tracker.sessions.get('s')!
    const counts = session.counts
    resolveSession(session, (id) => id)
    expect(session.counts).toBe(counts)
    expect([session.kind, session.subkind]).toEqual(['1', '1'])
  })
})
