import { describe, expect, it } from 'vitest'
import { detectSessionKey, firstSessionId, sessionIds, sessionIdsAfter, userSessionKey } from './session-key.ts'

describe('session key detection', () => {
  it('finds HDFS block ids', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `081109 2036${i % 60} 143 INFO dfs.DataNode: Receiving block blk_${1000 + (i % 40)} src: /10.0.0.1:5000`)
    expect(detectSessionKey(lines)?.name).toMatch(/block id/)
  })

  it('finds request ids written as key=value', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `2026-01-01T00:00:00Z INFO api: step ${i % 4} done trace=abcdef${Math.floor(i / 4)}`)
    const key = detectSessionKey(lines)
    expect(key?.name).toMatch(/request\/trace/)
    expect(sessionIds(key!, 'x trace=abcdef12 y')).toEqual(['abcdef12'])
  })

  it('declines when ids never repeat (no sessions to speak of)', () => {
    const lines = Array.from({ length: 300 }, (_, i) => `INFO handled request_id=${i}aaaaaa in 3 ms`)
    expect(detectSessionKey(lines)).toBeNull()
    expect(detectSessionKey(['plain line', 'another plain line'])).toBeNull()
  })

  it('takes every distinct id on a line once', () => {
    const key = detectSessionKey(Array.from({ length: 100 }, (_, i) => `delete blk_${i % 10} and blk_${(i + 1) % 10}`))!
    expect(sessionIds(key, 'ask to delete blk_1 blk_2 blk_1')).toEqual(['blk_1', 'blk_2'])
  })

  it('finds the same ids past a first one a reader already found', () => {
    const key = detectSessionKey(Array.from({ length: 100 }, (_, i) => `delete blk_${i % 10} and blk_${(i + 1) % 10}`))!
    for (const line of ['ask to delete blk_1 blk_2 blk_1', 'blk_7 only', 'blk_3 then blk_3 then blk_-4', 'x blk_5 blk_6']) {
      const first = firstSessionId(key, line)!
      expect(sessionIdsAfter(key, line, first.id, first.start + first.id.length)).toEqual(sessionIds(key, line))
    }
  })

  it('uses a user pattern, and explains a broken one', () => {
    expect(sessionIds(userSessionKey('job=(\\d+)'), 'job=42 step=3')).toEqual(['42'])
    expect(() => userSessionKey('job=(')).toThrow(/Invalid --session-key pattern/)
  })
})
