import { describe, expect, it } from 'vitest'
import { collapseRuns, generalize, mergeTokens } from './generalize.ts'

describe('template generalisation', () => {
  it('keeps the key and punctuation around a merged value, never half a word', () => {
    expect(mergeTokens('name=android,', 'name=com.acme,')).toBe('name=<*>,')
    expect(mergeTokens('Starting', 'Stopping')).toBe('<*>')
    expect(mergeTokens('(<*>)', '()')).toBe('(<*>)')
    expect(mergeTokens('<*>', 'x')).toBe('<*>')
  })

  it('generalises in place and reports changes', () => {
    const t = ['user', 'alice', 'from', '<*>']
    expect(generalize(t, ['user', 'bob', 'from', '<*>'])).toBe(true)
    expect(t).toEqual(['user', '<*>', 'from', '<*>'])
    expect(generalize(t, ['user', 'carol', 'from', '<*>'])).toBe(false)
  })

  it('collapses repeated variable units of up to four tokens', () => {
    expect(collapseRuns(['stack', '@<*>', '@<*>', '@<*>)'])).toEqual(['stack', '@<*>)'])
    expect(collapseRuns(['sets', '<*>', '<*>', '<ok>', '<*>', '<*>', '<ok>'])).toEqual(['sets', '<*>', '<ok>'])
    expect(collapseRuns(['a', 'b', 'a', 'b'])).toEqual(['a', 'b', 'a', 'b'])
  })
})
