import { describe, expect, it } from 'vitest'
import { parseCsv } from './csv.ts'

describe('parseCsv', () => {
  it('handles quotes, doubled quotes, commas and newlines in fields', () => {
    expect(parseCsv('a,b,c\r\n1,"x, ""y""",\n2,"multi\nline",z\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, "y"', ''],
      ['2', 'multi\nline', 'z']
    ])
  })
})
