/**
 * The native masker (native/src/mask_keys.cc) against the JavaScript one it ports: where it
 * answers, its key's low 32 bits are `maskRangeInto`'s hash, and mining with its keys gives
 * exactly what mining without them gives.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WILDCARD, maskRangeInto } from './mask-message.ts'
import { TemplateMiner } from './miner.ts'
import { nativeAddon } from '../platform/native-addon.ts'
import { asciiBytes } from '../read/batch-text.ts'

const native = nativeAddon()

// Pieces that reach every path of the masker: digits, ids, addresses, key=value, paths, URLs,
// emails, quotes, clocks and dates, dot leaders, escaped spaces, literals, wildcards, non-ASCII.
const piece = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('user', 'id=', 'Fri', 'Jul', '1', '07:57:30', '"', 'a b', '/x/y', '0x1f', ':', '.', '..', '...', '<*>', '@', '=', 'true', 'NULL', '(', ')', '[', ']', '{', '}', ',', ';', '|', "'", 'blk_-1', '10.0.0.1:80', '10.0.0.1', 'tag="View Lock"', '= "x y"', 'a\\ b', '\\', '~/', 'C:\\x', '\\\\srv', 'http://h/p', 'x@y.z', 'fe80:0:1:2', 'aa-bb-cc-dd', 'deadbeef', 'DEADBEEFCAFE', 'org.acme.Type', 'a.b', '-', '_', 'é', '日本', '𝄞', '\u00a0', '\t', '  ', 'key=val', 'Key_x=1-2-3-4', 'name=a..b', '/p/q),', "'word',", '"w":', 'x......0', '$a.$b.$c', '12:30', '1.2.3') },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ maxLength: 4, unit: 'binary' }) }
)
const message = fc.array(fc.tuple(piece, fc.constantFrom(' ', ' ', '', '  ', '\t')), { maxLength: 14 }).map((parts) => parts.map(([p, sep]) => p + sep).join(''))

/** Keys of `messages` laid out as one batch text, as the reader hands them over. */
function keysOf(messages: readonly string[]): { text: string; starts: Int32Array; ends: Int32Array; keys: Float64Array } {
  const starts = new Int32Array(messages.length)
  const ends = new Int32Array(messages.length)
  let text = ''
  messages.forEach((m, i) => {
    starts[i] = text.length + 2
    text += `> ${m}`
    ends[i] = text.length
    text += '\n'
  })
  const keys = new Float64Array(messages.length)
  native?.maskKeys(text, starts, ends, messages.length, keys)
  return { text, starts, ends, keys }
}

describe.skipIf(native === null)('the native masker (skipped: @faultline/native was not built here; npm install builds it with node-gyp)', () => {
  it('gives the same keys for a batch given as its ASCII bytes as for its string', () => {
    let bytesSeen = 0
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 20 }), (messages) => {
        const { text, starts, ends, keys } = keysOf(messages)
        const bytes = asciiBytes(text)
        if (typeof bytes === 'string') return
        bytesSeen++
        const fromBytes = new Float64Array(messages.length)
        native?.maskKeys(bytes, starts, ends, messages.length, fromBytes)
        expect([...fromBytes]).toEqual([...keys])
      }),
      { numRuns: 3_000 }
    )
    expect(bytesSeen).toBeGreaterThan(100)
  })

  it('answers with maskRangeInto\'s hash in the low 32 bits, wherever it answers', () => {
    let answered = 0
    let total = 0
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 20 }), (messages) => {
        const { text, starts, ends, keys } = keysOf(messages)
        const out: string[] = []
        messages.forEach((_, i) => {
          total++
          const key = keys[i] as number
          if (key !== key) return
          answered++
          expect(key).toBeGreaterThanOrEqual(0)
          expect(key).toBeLessThan(2 ** 53)
          expect(key % 2 ** 32).toBe(maskRangeInto(text, starts[i] as number, ends[i] as number, out))
        })
      }),
      { numRuns: 3_000 }
    )
    // Most messages are answered natively (only clocks, quoted values and odd non-ASCII are not).
    expect(answered / total).toBeGreaterThan(0.5)
  })

  it('gives the same key to messages that mask alike, and different keys to messages that do not', () => {
    const byKey = new Map<number, string>()
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 20 }), (messages) => {
        const { text, starts, ends, keys } = keysOf(messages)
        const out: string[] = []
        messages.forEach((_, i) => {
          const key = keys[i] as number
          if (key !== key) return
          maskRangeInto(text, starts[i] as number, ends[i] as number, out)
          // The masked tokens, with wildcards written in the message itself counted as wildcards.
          const masked = out.map((t) => (t === WILDCARD ? '\0' : t)).join('\u0001')
          const seen = byKey.get(key)
          if (seen === undefined) byKey.set(key, masked)
          else expect(masked).toBe(seen)
        })
      }),
      { numRuns: 3_000 }
    )
    expect(byKey.size).toBeGreaterThan(1_000)
  })

  it('leaves to JavaScript what it does not port: written-out dates and quoted values, records without a range', () => {
    const { keys } = keysOf(['at Fri Jul  1 07:57:30 2005 done', 'set tag="View Lock" now', 'plain 42 words'])
    expect([Number.isNaN(keys[0]), Number.isNaN(keys[1]), Number.isNaN(keys[2])]).toEqual([true, true, false])
    const none = new Float64Array(1)
    expect(native?.maskKeys('abc', Int32Array.of(-1), Int32Array.of(0), 1, none)).toBe(1)
    expect(none[0]).toBeNaN()
  })

  it('refuses arguments of the wrong kind instead of reading past them', () => {
    const keys = new Float64Array(1)
    expect(() => native?.maskKeys('abc', Int32Array.of(0), Int32Array.of(3), 2, keys)).toThrow(/exceeds/)
    expect(() => native?.maskKeys('abc', new Float64Array(1) as unknown as Int32Array, Int32Array.of(3), 1, keys)).toThrow(/Int32Array/)
  })

  it('after a compaction merges templates, a key seen before leads to the merged template', () => {
    const messages = ['user alice logged in', 'user bob logged in', 'user carol logged in', 'x 1', 'user bob logged in', 'user alice logged in']
    const { text, starts, ends, keys } = keysOf(messages)
    const keyed = new TemplateMiner({ compactEvery: 3 })
    const plain = new TemplateMiner({ compactEvery: 3 })
    const ids = messages.map((_, i) => [keyed.addKeyed(keys[i] as number, text, starts[i] as number, ends[i] as number), plain.addRange(text, starts[i] as number, ends[i] as number)])
    // The third new template triggers a compaction that merges the three users into the first.
    expect(keyed.template(1).text).toBe('user <*> logged in')
    expect(ids).toEqual([[0, 0], [1, 1], [2, 2], [3, 3], [0, 0], [0, 0]])
  })

  it('mining with its keys gives exactly what mining without them gives, through compactions', () => {
    // Templates that differ in one word only, which compaction merges (many distinct words there).
    const names = fc.tuple(fc.constantFrom('alice', 'bob', 'carol', 'dave', 'erin', 'frank'), fc.constantFrom('logged in', 'left', 'logged in from 10.0.0.1')).map(([who, what]) => `user ${who} ${what}`)
    fc.assert(
      fc.property(fc.array(fc.oneof(message, names), { maxLength: 200 }), (messages) => {
        const { text, starts, ends, keys } = keysOf(messages)
        const settings = { compactEvery: 10, maxTemplates: 40 }
        const keyed = new TemplateMiner(settings)
        const plain = new TemplateMiner(settings)
        messages.forEach((_, i) => {
          const from = starts[i] as number
          const to = ends[i] as number
          const key = keys[i] as number
          const a = key === key ? keyed.addKeyed(key, text, from, to) : keyed.addRange(text, from, to)
          expect(a).toBe(plain.addRange(text, from, to))
        })
        keyed.compact()
        plain.compact()
        expect(keyed.toSnapshot()).toEqual(plain.toSnapshot())
      }),
      { numRuns: 300 }
    )
  })
})
