/**
 * The native addon (the `@faultline/native` package in native/, built by node-gyp when the
 * project installs; its functions and their contracts are in native/index.d.ts): the miner's mask
 * keys, about five times faster than masking each message in JavaScript (see
 * `TemplateMiner.addKeyed` for what the keys save), the reader's header scan
 * (ingest/native-heads.ts) and the params of a message (mine/param-matcher.ts). Where it could not
 * be built (no compiler at install time) it is null and JavaScript does all three, with the same
 * results. `FAULTLINE_NATIVE=0` turns it off (to compare the two).
 */
import { createRequire } from 'node:module'
import type * as NativeModule from '@faultline/native'

export type NativeAddon = typeof NativeModule

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
