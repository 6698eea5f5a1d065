/**
 * For records `r` < `count` of `text`, the key of `text.slice(starts[r], ends[r])` masked as the
 * miner masks it (src/core/mine/mask-message.ts): the low 32 bits are the hash `maskRangeInto`
 * returns, the 21 above a second, independent hash of the masked tokens. NaN where the record
 * needs the JavaScript masker (a clock or quoted value to pre-mask, an unusual non-ASCII token,
 * a start of -1). Returns how many records got NaN. `text` may be given as its bytes when it is
 * all ASCII (one byte a character), which the addon reads without copying.
 */
export function maskKeys(text: string | Uint8Array, starts: Int32Array, ends: Int32Array, count: number, keys: Float64Array): number


/**
 * The token splitter's `scanHead` (src/core/format/split-line.ts) and a built-in session key
 * (src/core/model/sessions/session-key.ts) for the records of a batch of ASCII bytes, one head
 * line per record (`recordLines` lines each, from `lineStarts`). Starts at record `cursor[0]`,
 * whose head is line `cursor[1]`, and stops before `count` at a record whose timestamp is not the
 * one in `stamps` (the addon never parses a timestamp): `cursor` is left there, and that record
 * is returned. `layout` is [fixed, max, terminator (0 none, 1 colon, 2 dash), key (0 none, else
 * the built-in key's number), columns, then per column role (0 other, 1 timestamp, 2 level),
 * span, primary, stamp slot (-1: none)]; `stamps` per slot: known, ms, fracAt, fracLength,
 * secondMs, start and length of its text in `stampText`. Per record it fills `ts`, `levels`,
 * `contentStart`, `contentEnd`, `matched` (1: fits the layout) and, where it finds an id,
 * `sessionStart` and `sessionEnd`. See src/core/ingest/native-heads.ts.
 */
export function scanHeads(
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
