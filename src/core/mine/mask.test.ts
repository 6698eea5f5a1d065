import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { hashTokens, maskContent, maskMessage, maskMessageInto, maskRangeInto, maskToken, maskWords, messageWords } from './mask-message.ts'
import { maskCommonShape, maskFullyGeneral } from './mask-token.ts'

describe('maskToken', () => {
  it.each([
    ['blk_-1608999687919862906', '<*>'],
    ['10.251.73.220:50010', '<*>:<*>'],
    ['/10.251.73.220:50010', '<*>'],
    ['0x7fed806eb5d', '<*>'],
    ['9f4ef63', '<*>'],
    ['3fa85f64-5717-4562-b3fc-2c963f66afa6', '<*>'],
    ['https://example.org/a?b=1', '<*>'],
    ['ops@example.org', '<*>'],
    ['/var/log/app.log,', '<*>,'],
    ['C:\\Windows\\system32\\x.dll', '<*>'],
    ['(HWID=1973)', '(HWID=<*>)'],
    ['uid=0', 'uid=<*>'],
    ['ruser=', 'ruser='],
    ['30ms', '<*>'],
    ['4.5KB', '<*>'],
    ['FF:F2:9F:16:E2:DC', '<*>'],
    ['instruction......0', 'instruction......<*>'],
    ['overlap:false', 'overlap:<*>'],
    ['null', '<*>'],
    ['Receiving', 'Receiving'],
    ['src:', 'src:'],
    ['<*>', '<*>'],
    ["'hlt'", "'<*>'"],
    ['"PowerManagerService.WakeLocks".', '"<*>".'],
    ["don't", "don't"],
    ['efecbccb', '<*>'],
    ['DEADBEEF', '<*>'],
    ['decade', 'decade'],
    ['acceded', 'acceded']
  ])('%s → %s', (token, masked) => {
    expect(maskToken(token)).toBe(masked)
  })

  it('collapses written-out dates and quoted strings before splitting', () => {
    expect(maskContent('connection at Fri Jul  1 07:57:30 2005 ok')).toBe('connection at <*> ok')
    expect(maskContent('tag="View Lock", name=x')).toBe('tag="<*>", name=<*>')
  })

  it('agrees with the slow path, hash included', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (s) => {
        const out: string[] = []
        const hash = maskMessageInto(s, out)
        expect(out).toEqual(maskWords(messageWords(s)))
        expect(hash).toBe(hashTokens(out))
        expect(maskMessage(s)).toEqual(out)
      })
    )
  })

  const logish = fc
    .array(
      fc.oneof(
        fc.constantFrom('user', 'id=', 'Fri', 'Jul', '1', '07:57:30', '"', 'a b', '/x/y', '0x1f', ':', '.', '..', '<*>', '@', '=', 'true', '(', ')', '[', ']', 'blk_-1', '10.0.0.1:80', 'tag="View Lock"', '= "x y"'),
        fc.string({ maxLength: 6 })
      ),
      { maxLength: 12 }
    )
    .map((parts) => parts.join(' '))

  it('masks a message where it stands in a longer text as it masks the message alone', () => {
    fc.assert(
      fc.property(fc.oneof(logish, fc.string({ maxLength: 60 })), fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (s, before, after) => {
        const out: string[] = []
        const hash = maskRangeInto(before + s + after, before.length, before.length + s.length, out)
        expect(out).toEqual(maskWords(messageWords(s)))
        expect(hash).toBe(hashTokens(out))
      }),
      { numRuns: 2_000 }
    )
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(logish, fc.string({ maxLength: 60 })), (s) => {
        const once = maskContent(s)
        expect(maskContent(once)).toBe(once)
      }),
      { numRuns: 500 }
    )
  })
})

describe('masking fast path', () => {
  // Tokens shaped like the fast path's two cases, plus near misses that must fall through.
  const keyValue = fc
    .tuple(fc.stringMatching(/^[A-Za-z_]{1,8}$/), fc.constantFrom('=', ':', '=='), fc.string({ maxLength: 12 }))
    .map(([k, sep, v]) => `${k}${sep}${v}`)
  const path = fc.tuple(fc.array(fc.stringMatching(/^[\w.~-]{0,6}$/), { maxLength: 4 }), fc.constantFrom('', ',', ')', '.', ':', '://x'))
    .map(([parts, tail]) => `/${parts.join('/')}${tail}`)

  it('gives exactly what the general masker gives, whenever it answers', () => {
    fc.assert(
      fc.property(fc.oneof(keyValue, path, fc.string({ maxLength: 16 })), (token) => {
        const fast = maskCommonShape(token)
        if (fast !== null) expect(fast).toBe(maskFullyGeneral(token))
      }),
      { numRuns: 20_000 }
    )
  })
})
