/**
 * A template's parameters found where they stand in a batch's ASCII bytes, by the native addon:
 * the spans of its `<*>` values and their numbers, with no string per message nor per value
 * (extracting params with the template's regex was about a quarter of the ingest pipeline's time).
 * The addon ports the regex `paramExtractor` builds (params.ts), so the spans are the regex's
 * groups; where it does not answer, the caller extracts with the regex.
 */
import { WILDCARD } from './mask-token.ts'
import { nativeAddon } from '../platform/native-addon.ts'
import type { NativeAddon } from '../platform/native-addon.ts'

const op = { literal: 0, group: 1, spaces: 2 } as const
/** Most groups the addon fills (a template with more is left to the regex). */
export const maxParamGroups = 256

/** What this thread's addon holds bound (see `ParamMatcher.match`). */
const bound: { text: Uint8Array | null; spans: Int32Array | null; numbers: Float64Array | null } = { text: null, spans: null, numbers: null }

export class ParamMatcher {
  /** The template's number of parameters. */
  readonly groups: number
  readonly #addon: NativeAddon
  /** The template's program in this thread's addon. */
  readonly #program: number

  /** For these template tokens; null without the addon, without a parameter, or with a literal outside ASCII. */
  static for(tokens: readonly string[]): ParamMatcher | null {
    const addon = nativeAddon()
    if (addon === null || !tokens.some((t) => t.includes(WILDCARD))) return null
    const ops: number[] = []
    let literals = ''
    let groups = 0
    tokens.forEach((token, t) => {
      if (t > 0) ops.push(op.spaces, 0, 0)
      token.split(WILDCARD).forEach((part, j) => {
        if (j > 0) {
          ops.push(op.group, 0, 0)
          groups++
        }
        if (part !== '') {
          ops.push(op.literal, literals.length, part.length)
          literals += part
        }
      })
    })
    // ASCII bytes never equal a literal with another character: the regex says no match there.
    if (groups > maxParamGroups || Buffer.byteLength(literals, 'utf8') !== literals.length) return null
    return new ParamMatcher(addon, addon.paramProgram(Int32Array.from(ops), Buffer.from(literals, 'latin1')), groups)
  }

  private constructor(addon: NativeAddon, program: number, groups: number) {
    this.#addon = addon
    this.#program = program
    this.groups = groups
  }

  /**
   * The parameters of the message `bytes[start, end)`: group g spans [spans[2g], spans[2g + 1])
   * and reads as `numbers[g]` (NaN: no number; +Infinity: a number only `parseNumber` can read).
   * Returns the number of groups, or -1 where the regex must extract them. The arrays are bound
   * to the addon until others are given: a call with the same ones passes three numbers only.
   */
  match(bytes: Uint8Array, start: number, end: number, spans: Int32Array, numbers: Float64Array): number {
    if (bytes !== bound.text || spans !== bound.spans || numbers !== bound.numbers) {
      this.#addon.bindParams(bytes, spans, numbers)
      bound.text = bytes
      bound.spans = spans
      bound.numbers = numbers
    }
    return this.#addon.matchParams(this.#program, start, end)
  }
}
