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

/**
 * Binds, for this thread's `matchParams` calls, the batch text they read (ASCII bytes) and the
 * arrays they fill: held until others are bound, so a call per message passes three numbers.
 */
export function bindParams(text: Uint8Array, spans: Int32Array, numbers: Float64Array): void

/**
 * Keeps a template's program for this thread's `matchParams`; returns its number. `ops` holds the
 * template as triples (0: a literal at [offset, offset + length) of `literals`, 1: a parameter,
 * 2: the spaces between tokens).
 */
export function paramProgram(ops: Int32Array, literals: Uint8Array): number

/**
 * The `<*>` values of the message `text[start, end)` of the bound text, as the template regex of
 * src/core/mine/params.ts captures them. Fills the bound `spans` ([start, end) per parameter)
 * and `numbers` (its `parseNumber`: NaN for none, +Infinity where only JavaScript can read it);
 * returns the number of parameters, or -1 where the regex must decide (no match, a message over
 * 8,192 characters, too much backtracking).
 */
export function matchParams(program: number, start: number, end: number): number
