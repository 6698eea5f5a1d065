/**
 * The native addon (the `@faultline/native` package in native/, built by node-gyp when the
 * project installs), one batch per call: the miner's mask keys, about five times faster than
 * masking each message in JavaScript (see `TemplateMiner.addKeyed` for what the keys save), the
 * reader's header scan (ingest/native-heads.ts) and the params of a message (mine/param-matcher.ts). Where it could not be built (no compiler at
 * install time) it is null and JavaScript does both, with the same results. `FAULTLINE_NATIVE=0` turns it off (to compare the two).
 */
import { createRequire } from 'node:module'

export interface NativeAddon {
  /**
   * For records r < `count`: the 53-bit key of `text.slice(starts[r], ends[r])` masked as the
   * miner masks it (the low 32 bits are `maskRangeInto`'s hash), or NaN where the JavaScript
   * masker must decide (see native/index.d.ts). Returns how many got NaN. `text` may be its
   * bytes when it is all ASCII (see read/batch-text.ts): they are read without a copy.
   */
  maskKeys(text: string | Uint8Array, starts: Int32Array, ends: Int32Array, count: number, keys: Float64Array): number
  /**
   * The token splitter's `scanHead` and a built-in session key for records `cursor[0]` < `count`
   * of a batch's ASCII bytes, until a record's stamp needs JavaScript; `cursor` ([record, its
   * first line]) is left there, which is also returned. See native/index.d.ts and native-heads.ts.
   */
  scanHeads(
    text: Uint8Array,
    lineStarts: Int32Array,
    recordLines: Int32Array,
    count: number,
    layout: Int32Array,
    stamps: Float64Array,
    stampText: Uint8Array,
    cursor: Int32Array,
    ts: Float64Array,
    levels: Uint8Array,
    contentStart: Int32Array,
    contentEnd: Int32Array,
    matched: Uint8Array,
    sessionStart: Int32Array,
    sessionEnd: Int32Array
  ): number
  /** Binds, for this thread's `matchParams`, the batch text it reads and the arrays it fills (see mine/param-matcher.ts). */
  bindParams(text: Uint8Array, spans: Int32Array, numbers: Float64Array): void
  /** A template's program, kept by this thread's addon; returns its number. */
  paramProgram(ops: Int32Array, literals: Uint8Array): number
  /**
   * The params of the message `text[start, end)` of the bound text by a program: spans and numbers
   * per group; the number of groups, or -1 where the template's regex must extract them.
   */
  matchParams(program: number, start: number, end: number): number
}

let loaded: NativeAddon | null | undefined

export function nativeAddon(): NativeAddon | null {
  if (loaded === undefined) {
    loaded = null
    if (process.env.FAULTLINE_NATIVE !== '0') {
      try {
        loaded = createRequire(import.meta.url)('@faultline/native') as NativeAddon
      } catch {
        // Not built here: JavaScript masks.
      }
    }
  }
  return loaded
}
