import { describe, expect, it } from 'vitest'
import { paramSpans } from './param-spans.ts'

describe('parameter spans', () => {
  it('finds each parameter of the template in the message at the end of the line', () => {
    const line = '081109 203615 148 INFO dfs.DataNode: Received block blk_38865 of size 67108864 from /10.250.19.102'
    const spans = paramSpans('Received block <*> of size <*> from <*>', line)
    expect(spans.map(([a, b]) => line.slice(a, b))).toEqual(['blk_38865', '67108864', '/10.250.19.102'])
  })

  it('handles parameters inside a token', () => {
    const line = 'INFO pool stats (total=20, active=3)'
    expect(paramSpans('pool stats (total=<*>, active=<*>)', line).map(([a, b]) => line.slice(a, b))).toEqual(['20', '3'])
  })

  it('returns nothing for a template without parameters or a line that does not fit', () => {
    expect(paramSpans('Health check passed', 'x Health check passed')).toEqual([])
    expect(paramSpans('Received block <*>', 'something else entirely')).toEqual([])
  })
})
