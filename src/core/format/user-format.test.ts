import { describe, expect, it } from 'vitest'
import { createLineSplitter } from './split-line.ts'

describe('user format strings', () => {
  it('splits with a loghub-style format', () => {
    const s = createLineSplitter({ kind: 'pattern', format: '<Date> <Time> <Level> <Component>: <Content>' }, 2024)
    expect(s.split('2023-04-05 06:07:08,123 INFO com.acme.Server: Started in 3 ms')).toEqual({
      fields: { ts: Date.UTC(2023, 3, 5, 6, 7, 8, 123), level: 'INFO', component: 'com.acme.Server', pid: null, thread: null },
      content: 'Started in 3 ms',
      matched: true
    })
  })

  it('reads a pid out of component[pid] and tolerates extra spaces', () => {
    const s = createLineSplitter({ kind: 'pattern', format: '<Month> <Day> <Time> <Host> <Component>: <Content>' }, 2024)
    const r = s.split('Jun  4 01:02:03 box sshd[42]: Accepted key')
    expect(r.fields).toMatchObject({ ts: Date.UTC(2024, 5, 4, 1, 2, 3), component: 'sshd', pid: '42' })
    expect(r.content).toBe('Accepted key')
  })

  it('rejects a format without <Content>', () => {
    expect(() => createLineSplitter({ kind: 'pattern', format: '<Date> <Level>' })).toThrow(/Content/)
  })
})
