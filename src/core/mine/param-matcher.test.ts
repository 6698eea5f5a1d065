import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ParamMatcher, maxParamGroups } from './param-matcher.ts'
import { extractParams } from './params.ts'
import { parseNumber } from '../model/lines/param-stats.ts'
import { nativeAddon } from '../platform/native-addon.ts'

// The addon's params must be the template regex's groups, and its numbers `parseNumber`'s.

/** Pieces of template tokens and of messages: literals, numbers of every shape, spaces. */
const piece = fc.constantFrom(
  'a', 'b', 'id', 'in', 'ms', 'took', '=', ':', ',', '.', '-', '+', '(', ')', '[', ']', '*', '?', '$', '^', '|', '\\', '/', '"', '0', '7', '42', '-3', '+5',
  '1.5', '1.', '.5', '2e3', '2E-3', '1e+400', '5e', '12ms', '3.5KB', '10B', '99%', '4gb', '7ns', '8us', '1s', '1x', '007', '9007199254740993', '123456789012345678901',
  '0.1', '1e22', '1e23', '3.14159265358979323846', '-0', 'deadbeef', 'NaN', 'Infinity', 'trace=ab12'
)
const wordOf = (parts: readonly string[]): string => parts.join('') || 'x'
const templateToken = fc
  .array(fc.oneof({ weight: 3, arbitrary: piece }, { weight: 2, arbitrary: fc.constant('<*>') }), { minLength: 1, maxLength: 3 })
  .map(wordOf)
/**
 * Templates with one to four parameters: more lazy groups can make the reference regex itself
 * backtrack for minutes on a message that does not fit (10 groups, 62 s, found by this test).
 */
const template = fc
  .array(templateToken, { minLength: 1, maxLength: 6 })
  .filter((tokens) => tokens.some((t) => t.includes('<*>')) && tokens.join(' ').split('<*>').length <= 5)
const space = fc.constantFrom(' ', '  ', '\t', ' \t ', '\u000b', '\f', '\r')

/**
 * A message for a template: each `<*>` filled with pieces (spaces too, so a value may span
 * words), now and then a token changed so the message does not fit.
 */
const messageFor = (tokens: readonly string[]): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.array(fc.array(fc.oneof(piece, space), { maxLength: 4 }), { minLength: 64, maxLength: 64 }),
      fc.array(space, { minLength: tokens.length, maxLength: tokens.length }),
      fc.option(fc.tuple(fc.nat(tokens.length - 1), piece), { freq: 4 })
    )
    .map(([fills, spaces, change]) => {
      let k = 0
      const words = tokens.map((t) => t.split('<*>').reduce((out, part, j) => (j === 0 ? part : out + (fills[k++ % 64] ?? []).join('') + part), ''))
      if (change) words[change[0]] = change[1]
      return words.reduce((out, word, i) => (i === 0 ? word : out + (spaces[i] ?? ' ') + word), '')
    })
    .map((m) => m.trim())

/** `matcher` on `message` standing inside a larger text, as a batch holds it. */
function matchInText(matcher: ParamMatcher, message: string): { count: number; values: string[]; numbers: (number | null)[] } {
  const text = Buffer.from(`2024-01-01 INFO ${message}\nnext line\n`, 'latin1')
  const start = 16
  const spans = new Int32Array(2 * maxParamGroups)
  const numbers = new Float64Array(maxParamGroups)
  const count = matcher.match(text, start, start + message.length, spans, numbers)
  const values = Array.from({ length: Math.max(0, count) }, (_, g) => text.toString('latin1', spans[2 * g], spans[2 * g + 1]))
  const read = values.map((value, g) => {
    const n = numbers[g] as number
    return n !== n ? null : n === Number.POSITIVE_INFINITY ? parseNumber(value) : n
  })
  return { count, values, numbers: read }
}

/** The regex's answer: its groups, or null where it does not match (the words are then split apart). */
function regexGroups(tokens: readonly string[], message: string): string[] | null {
  const source = tokens.map((t) => t.split('<*>').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('(.*?)')).join('\\s+')
  const m = new RegExp(`^${source}$`, 's').exec(message)
  return m === null ? null : m.slice(1).map((v) => v ?? '')
}

describe.skipIf(nativeAddon() === null)('native param matcher', () => {
  it('finds the groups the template regex captures, and reads their numbers as parseNumber does', () => {
    fc.assert(
      fc.property(template.chain((tokens) => fc.tuple(fc.constant(tokens), fc.array(messageFor(tokens), { minLength: 1, maxLength: 5 }))), ([tokens, messages]) => {
        const matcher = ParamMatcher.for(tokens)
        expect(matcher).not.toBeNull()
        for (const message of messages) {
          const found = matchInText(matcher as ParamMatcher, message)
          const groups = regexGroups(tokens, message)
          if (groups === null) {
            expect(found.count).toBe(-1)
            continue
          }
          expect(found.values).toEqual(groups)
          expect(found.values).toEqual(extractParams(tokens, message))
          expect(found.numbers).toEqual(groups.map(parseNumber))
        }
      }),
      { numRuns: 1500 }
    )
  })

  it('reads numbers at the edges of what one exact operation covers as parseNumber does', () => {
    const matcher = ParamMatcher.for(['v=<*>']) as ParamMatcher
    const values = ['1e22', '1e23', '1e-22', '1e-23', '9007199254740992', '9007199254740993', '1234567890.123456789', '0.1e-21', '5e22', '123e-25', '1e+400', '1e-400', '0e999', '-0.0', '17.5MB', '2%', '1.5e3ms']
    for (const value of values) expect(matchInText(matcher, `v=${value}`).numbers).toEqual([parseNumber(value)])
  })

  it('leaves to the regex a message past its length cap', () => {
    const matcher = ParamMatcher.for(['took', '<*>', 'ms']) as ParamMatcher
    expect(matchInText(matcher, 'took 5 ms').values).toEqual(['5'])
    expect(matchInText(matcher, `took ${'9'.repeat(9000)} ms`).count).toBe(-1)
  })

  it('makes no matcher for a template without params or with a literal outside ASCII', () => {
    expect(ParamMatcher.for(['no', 'params'])).toBeNull()
    expect(ParamMatcher.for(['café', '<*>'])).toBeNull()
  })
})
