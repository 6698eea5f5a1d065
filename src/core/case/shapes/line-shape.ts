/**
 * A line shape: what every stored line of a group has in common, exactly. A line is cut into
 * tokens (runs of characters above U+0020) and the separators around them (runs of spaces, tabs
 * and other controls, the first and last possibly empty); lines of one template with the same
 * number of tokens share a shape. Per token position the shape keeps the prefix and suffix every
 * value has (the whole value while it never varied), the values themselves while they are few,
 * and a bitmap of what the values are made of (value-grams.ts); per separator, the separator
 * while it never varied.
 *
 * A shape only ever loses certainty as lines join it, so whatever it says of its lines (a
 * constant stretch of text, a value that cannot hold some text) holds for every one of them:
 * text search answers from shapes exactly (see shape-match.ts), never by sampling.
 */
import { fullLevels, gramWords } from './value-grams.ts'

/** A token position. */
export interface ShapeSlot {
  /** The start every value has; the whole value while `exact`. */
  prefix: string
  /** The end every value has (never overlapping `prefix` within the shortest value). */
  suffix: string
  exact: boolean
  /** The shortest value's length. */
  minLength: number
  /** Every distinct value while there are few (see `ShapeBook`), else null. */
  choices: string[] | null
  /** Characters, pairs and triples of the (folded) values, once the slot varies. */
  grams: Uint32Array | null
  /** All values seen are ASCII. */
  ascii: boolean
  /** Levels of `grams` that are full and no longer computed (see value-grams.ts). */
  full: number
  /** Choice → index, while learning (not stored). */
  lookup?: Map<string, number> | undefined
}

export interface LineShape {
  /** The lines' template (raw id, -1 for none), token count and continuation flag: the shape's key. */
  template: number
  continuation: boolean
  /** Separators before token 0 … after the last token (one more than `slots`); null where they vary. */
  seps: (string | null)[]
  slots: ShapeSlot[]
}

/**
 * What a line is filed under: a shape, with the values its slots had in the line wherever they
 * were still few (`fixed`, null for a slot whose values were not); `fixed` null: the shape as a
 * whole. `key` is how the learning finds it again.
 */
export interface ShapeVariant {
  key: string
  shape: number
  fixed: (string | null)[] | null
}

/**
 * Cuts `text[from, to)` into tokens: token j is `text[bounds[2j], bounds[2j + 1])`. Returns the
 * token count, or -1 when there are more than `bounds` can hold.
 */
export function tokenize(text: string, from: number, to: number, bounds: Int32Array): number {
  let n = 0
  let i = from
  const limit = bounds.length >>> 1
  while (i < to) {
    while (i < to && text.charCodeAt(i) <= 0x20) i++
    if (i >= to) break
    if (n === limit) return -1
    bounds[2 * n] = i
    while (i < to && text.charCodeAt(i) > 0x20) i++
    bounds[2 * n + 1] = i
    n++
  }
  return n
}

/** Where separator j of a line cut by `tokenize` starts and ends. */
export function separatorStart(from: number, bounds: Int32Array, j: number): number {
  return j === 0 ? from : (bounds[2 * j - 1] as number)
}

export function separatorEnd(to: number, bounds: Int32Array, n: number, j: number): number {
  return j === n ? to : (bounds[2 * j] as number)
}

interface SlotJson {
  p: string
  s?: string
  m?: number
  c?: string[] | null
  g?: string
  a?: 0
}

interface ShapeJson {
  t: number
  k?: 1
  s: (string | null)[]
  v: SlotJson[]
}

/** A shape as stored in the case (`text_shapes.spec`). */
export function shapeToJson(shape: LineShape): string {
  const json: ShapeJson = {
    t: shape.template,
    s: shape.seps,
    v: shape.slots.map((slot) =>
      slot.exact
        ? { p: slot.prefix }
        : {
            p: slot.prefix,
            s: slot.suffix,
            m: slot.minLength,
            c: slot.choices,
            g: Buffer.from((slot.grams as Uint32Array).buffer, (slot.grams as Uint32Array).byteOffset, gramWords * 4).toString('base64'),
            ...(slot.ascii ? {} : { a: 0 as const })
          }
    )
  }
  if (shape.continuation) json.k = 1
  return JSON.stringify(json)
}

/** A variant as stored in the case (`text_variants.spec`). */
export function variantToJson(variant: ShapeVariant): string {
  return JSON.stringify({ k: variant.key, s: variant.shape, f: variant.fixed })
}

export function variantFromJson(text: string): ShapeVariant {
  const json = JSON.parse(text) as { k: string; s: number; f: (string | null)[] | null }
  return { key: json.k, shape: json.s, fixed: json.f }
}

export function shapeFromJson(text: string): LineShape {
  const json = JSON.parse(text) as ShapeJson
  const slots = json.v.map((slot): ShapeSlot => {
    if (slot.g === undefined) return { prefix: slot.p, suffix: '', exact: true, minLength: slot.p.length, choices: null, grams: null, ascii: true, full: 0 }
    const bytes = Buffer.from(slot.g, 'base64')
    if (bytes.byteLength !== gramWords * 4) throw new Error(`a line shape's grams hold ${bytes.byteLength} bytes, expected ${gramWords * 4}`)
    const grams = new Uint32Array(gramWords)
    new Uint8Array(grams.buffer).set(bytes)
    return { prefix: slot.p, suffix: slot.s ?? '', exact: false, minLength: slot.m ?? 0, choices: slot.c ?? null, grams, ascii: slot.a !== 0, full: fullLevels(grams) }
  })
  if (json.s.length !== slots.length + 1) throw new Error('a line shape has the wrong number of separators')
  return { template: json.t, continuation: json.k === 1, seps: json.s, slots }
}
