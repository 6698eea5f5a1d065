/**
 * For records `r` < `count` of `text`, the key of `text.slice(starts[r], ends[r])` masked as the
 * miner masks it (src/core/mine/mask-message.ts): the low 32 bits are the hash `maskRangeInto`
 * returns, the 21 above a second, independent hash of the masked tokens. NaN where the record
 * needs the JavaScript masker (a clock or quoted value to pre-mask, an unusual non-ASCII token,
 * a start of -1). Returns how many records got NaN. `text` may be given as its bytes when it is
 * all ASCII (one byte a character), which the addon reads without copying.
 */
export function maskKeys(text: string | Uint8Array, starts: Int32Array, ends: Int32Array, count: number, keys: Float64Array): number

