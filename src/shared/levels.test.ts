import { describe, expect, it } from 'vitest'
import { levelCode, normalizeLevel } from './levels.ts'

describe('normalizeLevel', () => {
  it('reads a level in any case', () => {
    expect(normalizeLevel('WARNING')).toBe(levelCode.warn)
    expect(normalizeLevel('Err')).toBe(levelCode.error)
    expect(normalizeLevel('i')).toBe(levelCode.info)
  })

  it('gives unknown for words that are no level, the names of object properties included', () => {
    for (const word of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'x', '', null, undefined]) expect(normalizeLevel(word)).toBe(levelCode.unknown)
  })
})
