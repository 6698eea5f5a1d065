import { describe, expect, it } from 'vitest'
import { SessionScorer } from './session-scorer.ts'
import { buildKindStats } from './session-stats.ts'
import { SessionTracker } from './session-tracker.ts'

// Templates: 1 open, 2 write, 3 close, 4 rare failure.
const text: Record<number, string> = { 1: 'open <*>', 2: 'write <*>', 3: 'close <*>', 4: 'checksum failed for <*>' }

function reference(sessions = 200): SessionTracker {
  const tracker = new SessionTracker()
  let line = 1
  for (let s = 0; s < sessions; s++) {
    const id = `s${s}`
    const start = s * 1_000
    tracker.add(id, 1, line++, start, false)
    tracker.add(id, 2, line++, start + 10, false)
    if (s % 2) tracker.add(id, 2, line++, start + 20, false)
    tracker.add(id, 3, line++, start + 30, false)
  }
  return tracker
}

function scorer(mode: 'baseline' | 'self' = 'baseline'): SessionScorer {
  return new SessionScorer(buildKindStats(reference().sessions.values()), {
    mode,
    threshold: 0.5,
    templateText: (id) => text[id] ?? '?',
    knownTemplate: (id) => id <= 3
  })
}

function session(events: number[], start = 1_000_000): SessionTracker {
  const tracker = new SessionTracker()
  events.forEach((template, i) => tracker.add('x', template, i + 1, start + i, false))
  return tracker
}

describe('session scorer', () => {
  it('passes a session like the reference ones', () => {
    expect(scorer().score(session([1, 2, 3]).sessions.get('x')!, null)).toMatchObject({ anomaly: false, reasons: [] })
  })

  it('flags a session that ends without an event its kind always has', () => {
    const result = scorer().score(session([1, 2]).sessions.get('x')!, null)
    expect(result.anomaly).toBe(true)
    expect(result.reasons[0]).toBe("session ends without 'close <*>', present in 100% of baseline sessions")
  })

  it('does not blame a session that may still be running at the end of the log', () => {
    // Last event 5 ms before the end of the log; reference sessions last 30 ms.
    const result = scorer().score(session([1, 2], 1_000).sessions.get('x')!, 1_006)
    expect(result.anomaly).toBe(false)
  })

  it('flags an event never seen in a reference session, and counts out of range', () => {
    const strange = scorer().score(session([1, 2, 4, 3]).sessions.get('x')!, null)
    expect(strange.reasons).toContain("contains 'checksum failed for <*>', never seen in baseline")
    const repeated = scorer().score(session([1, 2, 2, 2, 2, 2, 3]).sessions.get('x')!, null)
    expect(repeated.reasons).toContain("'write <*>' 5 times, baseline sessions had 1–2")
  })

  it('notices an order of events never seen', () => {
    const result = scorer().score(session([1, 3, 2]).sessions.get('x')!, null)
    expect(result.reasons.some((r) => r.startsWith('unusual order'))).toBe(true)
  })
})
