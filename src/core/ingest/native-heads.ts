/**
 * The reader's header scan in the native addon: for a batch's ASCII bytes, each record's time,
 * level, content and session id in one call (about a third of the reader's time went to these in
 * JavaScript). The addon ports the token splitter's `scanHead` and the built-in session keys, but
 * not timestamp parsing: it reuses the stamp each column's `StampCache` last parsed and stops at a
 * record whose stamp is new. That record is scanned in JavaScript (which learns the stamp) and the
 * addon goes on after it, so the results are always JavaScript's own.
 */
import type { LineSplitterLike, TokenLayout } from '../format/index.ts'
import { builtinKeyNumber } from '../model/sessions/session-key.ts'
import type { SessionKey } from '../model/sessions/session-key.ts'
import { nativeAddon } from '../platform/native-addon.ts'
import type { NativeAddon } from '../platform/native-addon.ts'

/** Per record of a batch: what the header scan finds (see `PackedBatch`). */
export interface HeadColumns {
  readonly ts: Float64Array
  readonly levels: Uint8Array
  readonly contentStart: Int32Array
  readonly contentEnd: Int32Array
  /** 1 where the head line fits the layout. */
  readonly matched: Uint8Array
  /** Left as they are (-1) for a record without a session id. */
  readonly sessionStart: Int32Array
  readonly sessionEnd: Int32Array
}

/** Empty columns for `n` records (no session: -1). */
export function newHeadColumns(n: number): HeadColumns {
  return {
    ts: new Float64Array(n),
    levels: new Uint8Array(n),
    contentStart: new Int32Array(n),
    contentEnd: new Int32Array(n),
    matched: new Uint8Array(n),
    sessionStart: new Int32Array(n).fill(-1),
    sessionEnd: new Int32Array(n)
  }
}

const roleCode = { timestamp: 1, level: 2 } as const
/** Per stamp column: known, ms, fracAt, fracLength, secondMs, text start, text length. */
const stampFields = 7
/** Most header tokens the addon scans for. */
const maxTokens = 64

export class NativeHeads {
  /** Whether `scan` finds the session ids too (a built-in key), or leaves them to the caller. */
  readonly sessions: boolean
  readonly #addon: NativeAddon
  readonly #layout: Int32Array
  readonly #caches: TokenLayout['stamps']
  readonly #stamps: Float64Array
  #stampText = new Uint8Array(64)
  readonly #cursor = new Int32Array(2)

  /** For this splitter and key, or null where the addon cannot scan (no addon, or a layout it does not port). */
  static for(splitter: LineSplitterLike, key: SessionKey | null): NativeHeads | null {
    const addon = nativeAddon()
    const layout = splitter.tokenLayout
    if (addon === null || layout === undefined || layout.max > maxTokens) return null
    return new NativeHeads(addon, layout, key === null ? 0 : builtinKeyNumber(key))
  }

  private constructor(addon: NativeAddon, layout: TokenLayout, key: number) {
    this.#addon = addon
    this.sessions = key > 0
    const { columns, terminator } = layout
    const head = [layout.fixed, layout.max, terminator === 'colon' ? 1 : terminator === 'dash' ? 2 : 0, key, columns.length]
    const plan = columns.flatMap((c, i) => {
      const role = c.role === 'timestamp' || c.role === 'level' ? roleCode[c.role] : 0
      return [role, c.span, c.primary === true ? 1 : 0, role === 1 && layout.stamps[i] != null ? i : -1]
    })
    this.#layout = Int32Array.from([...head, ...plan])
    this.#caches = layout.stamps
    this.#stamps = new Float64Array(columns.length * stampFields)
  }

  /**
   * Scans records [0, count) of `text` into `out`; `scanOne(r, line)` scans record `r` (whose
   * head is line `line`) in JavaScript where the addon cannot, sessions included when
   * `sessions`. A batch of many new stamps (one a line, say) is finished in JavaScript.
   */
  scan(text: Uint8Array, lineStarts: Int32Array, recordLines: Int32Array, count: number, out: HeadColumns, scanOne: (r: number, line: number) => void): void {
    const cursor = this.#cursor
    cursor[0] = 0
    cursor[1] = 0
    let stops = 0
    for (;;) {
      this.#loadStamps()
      const { ts, levels, contentStart, contentEnd, matched, sessionStart, sessionEnd } = out
      const r = this.#addon.scanHeads(text, lineStarts, recordLines, count, this.#layout, this.#stamps, this.#stampText, cursor, ts, levels, contentStart, contentEnd, matched, sessionStart, sessionEnd)
      if (r >= count) return
      let line = cursor[1] as number
      scanOne(r, line)
      line += recordLines[r] as number
      if (++stops * 8 > r + 64) {
        for (let k = r + 1; k < count; line += recordLines[k++] as number) scanOne(k, line)
        return
      }
      cursor[0] = r + 1
      cursor[1] = line
    }
  }

  /** The stamps the splitter's caches hold now, for the addon. */
  #loadStamps(): void {
    const caches = this.#caches
    let textLength = 0
    for (let i = 0; i < caches.length; i++) {
      const learned = caches[i]?.learned ?? null
      const at = i * stampFields
      // Not ASCII: it cannot equal any stamp of an ASCII batch, so the addon asks JavaScript.
      if (learned === null || Buffer.byteLength(learned.stamp, 'utf8') !== learned.stamp.length) {
        this.#stamps[at] = 0
        continue
      }
      const { stamp } = learned
      if (this.#stampText.length < textLength + stamp.length) {
        const grown = new Uint8Array(2 * (textLength + stamp.length))
        grown.set(this.#stampText)
        this.#stampText = grown
      }
      for (let k = 0; k < stamp.length; k++) this.#stampText[textLength + k] = stamp.charCodeAt(k)
      this.#stamps.set([1, learned.ms, learned.fracAt, learned.fracLength, learned.secondMs, textLength, stamp.length], at)
      textLength += stamp.length
    }
  }
}
