/**
 * Learns line shapes (line-shape.ts) from stored lines. `assign` finds a line's shape (its
 * template's lines with as many tokens), widens it where the line differs, and files the line
 * under a variant of it: the shape with the values its slots have in that line, for every slot
 * whose values are still few. Ids are dense (0, 1, …) and stable; `takeChanged` lists what is new
 * or widened since it was last called, which is what has to be written back.
 */
import { separatorEnd, separatorStart, tokenize } from './line-shape.ts'
import type { LineShape, ShapeSlot, ShapeVariant } from './line-shape.ts'
import { addAsciiGrams, addGrams, addMiddle, allLevels, fillCrowded, fold, gramWords, notAscii } from './value-grams.ts'

/** Shapes per source at most; later groups' lines get none (-1). */
const maxShapes = 65_000
/**
 * Variants per source at most (their ids fit 16 bits). Past that a line is filed under its shape
 * as a whole (its "open" variant) where it has one, else under none (-1).
 */
const maxVariants = 65_000
/** Longer lines get no shape (-1): they are rare, and a shape's test costs with its length. */
const maxShapeChars = 4_096
const maxTokens = maxShapeChars >>> 1

export interface ShapeBookOptions {
  /** A slot keeps its values as choices while there are at most this many (default 64)… */
  maxChoices?: number
  /** …and they hold at most this many characters in all (default 4,096). */
  maxChoiceChars?: number
}

/** What `widen` says of a slot besides a choice's index. */
const exactSlot = -1
const openSlot = -2

export class ShapeBook {
  readonly shapes: LineShape[]
  readonly variants: ShapeVariant[]
  readonly #shapeByKey = new Map<number, number>()
  readonly #variantByKey = new Map<string, number>()
  readonly #variantsByHash = new Map<number, number[]>()
  /** Per variant (but open ones), its slots' states when made. */
  readonly #variantStates: Int32Array[] = []
  readonly #changedShapes = new Set<number>()
  #newVariants: number[] = []
  readonly #bounds = new Int32Array(2 * maxTokens)
  readonly #limits: Required<ShapeBookOptions>
  /** Per shape being assigned: its slots' states (a choice's index, exactSlot or openSlot). */
  #states = new Int32Array(64)
  #changed = false

  constructor(shapes: readonly LineShape[] = [], variants: readonly ShapeVariant[] = [], options: ShapeBookOptions = {}) {
    this.#limits = { maxChoices: options.maxChoices ?? 64, maxChoiceChars: options.maxChoiceChars ?? 4_096 }
    this.shapes = [...shapes]
    this.variants = [...variants]
    this.shapes.forEach((shape, id) => this.#shapeByKey.set(shapeKey(shape.template, shape.slots.length, shape.continuation), id))
    this.variants.forEach((variant, id) => {
      this.#variantByKey.set(variant.key, id)
      const states = statesOf(variant, this.shapes[variant.shape])
      if (!states) return
      this.#variantStates[id] = states
      let hash = variant.shape
      states.forEach((state, j) => {
        if (state !== exactSlot) hash = Math.imul(hash ^ (j * 0x10001 + state + 3), 0x9e3779b1) ^ (hash >>> 15)
      })
      const bucket = this.#variantsByHash.get(hash)
      if (bucket) bucket.push(id)
      else this.#variantsByHash.set(hash, [id])
    })
  }

  /** The variant `text[from, to)` (a line of raw template `template`) is filed under; -1 for none. */
  assign(text: string, from: number, to: number, template: number, continuation: boolean): number {
    if (to - from > maxShapeChars) return -1
    const bounds = this.#bounds
    const n = tokenize(text, from, to, bounds)
    if (n < 0) return -1
    const key = shapeKey(template, n, continuation)
    let id = this.#shapeByKey.get(key)
    if (id === undefined) {
      if (this.shapes.length >= maxShapes) return -1
      id = this.shapes.length
      this.shapes.push(newShape(text, from, to, bounds, n, template, continuation))
      this.#shapeByKey.set(key, id)
      this.#changedShapes.add(id)
    }
    const shape = this.shapes[id] as LineShape
    this.#changed = false
    const seps = shape.seps
    for (let j = 0; j <= n; j++) {
      const sep = seps[j]
      if (sep === null || sep === undefined) continue
      const start = separatorStart(from, bounds, j)
      if (separatorEnd(to, bounds, n, j) - start !== sep.length || !text.startsWith(sep, start)) {
        seps[j] = null
        this.#changed = true
      }
    }
    if (this.#states.length < n) this.#states = new Int32Array(n)
    const states = this.#states
    for (let j = 0; j < n; j++) states[j] = this.#widen(shape.slots[j] as ShapeSlot, text, bounds[2 * j] as number, bounds[2 * j + 1] as number)
    if (this.#changed) this.#changedShapes.add(id)
    return this.#variant(id, shape, n, text, bounds)
  }

  /** Ids of the shapes created or widened and of the variants created since the last call, ascending. */
  takeChanged(): { shapes: number[]; variants: number[] } {
    const shapes = [...this.#changedShapes].sort((a, b) => a - b)
    const variants = this.#newVariants
    this.#changedShapes.clear()
    this.#newVariants = []
    return { shapes, variants }
  }

  /**
   * The variant for the slots' states: an exact slot's value is the shape's; a choice's value is
   * told by its index; an open slot has none. Exact slots stay out of the stored key: a slot is
   * exact only until it first varies, and has one value all that while. Found by a hash of the
   * states, checked against the variant's own (no key string per line).
   */
  #variant(id: number, shape: LineShape, n: number, text: string, bounds: Int32Array): number {
    const states = this.#states
    let hash = id
    for (let j = 0; j < n; j++) {
      const state = states[j] as number
      if (state !== exactSlot) hash = Math.imul(hash ^ (j * 0x10001 + state + 3), 0x9e3779b1) ^ (hash >>> 15)
    }
    const bucket = this.#variantsByHash.get(hash)
    if (bucket) {
      for (const known of bucket) if (sameStates(this.#variantStates[known] as Int32Array, states, n)) return known
    }
    // Near the cap, lines are filed under their shape as a whole (sound, less precise); the
    // last ids are kept for that.
    if (this.variants.length >= maxVariants - 1_000) {
      const open = this.#variantByKey.get(`${id} open`)
      if (open !== undefined) return open
      return this.variants.length < maxVariants ? this.#newVariant({ key: `${id} open`, shape: id, fixed: null }, null, 0) : -1
    }
    let key = String(id)
    const fixed: (string | null)[] = []
    for (let j = 0; j < n; j++) {
      const state = states[j] as number
      const slot = shape.slots[j] as ShapeSlot
      if (state === openSlot) key += `,${j}*`
      else if (state !== exactSlot) key += `,${j}:${state}`
      fixed.push(state === openSlot ? null : state === exactSlot ? slot.prefix : text.slice(bounds[2 * j], bounds[2 * j + 1]))
    }
    return this.#newVariant({ key, shape: id, fixed }, states.slice(0, n), hash)
  }

  #newVariant(variant: ShapeVariant, states: Int32Array | null, hash: number): number {
    const id = this.variants.length
    this.variants.push(variant)
    this.#variantByKey.set(variant.key, id)
    if (states) {
      this.#variantStates[id] = states
      const bucket = this.#variantsByHash.get(hash)
      if (bucket) bucket.push(id)
      else this.#variantsByHash.set(hash, [id])
    }
    this.#newVariants.push(id)
    return id
  }

  /** Widens `slot` to hold the value `text[from, to)`; returns the value's choice index, exactSlot or openSlot. */
  #widen(slot: ShapeSlot, text: string, from: number, to: number): number {
    const length = to - from
    if (slot.exact) {
      if (length === slot.prefix.length && text.startsWith(slot.prefix, from)) return exactSlot
      // The one value seen so far becomes the first of several: prefix and suffix are what it
      // shares with this one, its middle what lies between.
      const first = slot.prefix
      const most = Math.min(first.length, length)
      let p = 0
      while (p < most && first.charCodeAt(p) === text.charCodeAt(from + p)) p++
      let q = 0
      while (q < most - p && first.charCodeAt(first.length - 1 - q) === text.charCodeAt(to - 1 - q)) q++
      slot.exact = false
      slot.prefix = first.slice(0, p)
      slot.suffix = first.slice(first.length - q)
      slot.choices = [first]
      slot.grams = new Uint32Array(gramWords)
      addMiddle(slot.grams, first, p, first.length - q)
      addValue(slot, first, 0, first.length)
      this.#changed = true
    }
    const choices = slot.choices
    let state = openSlot
    if (choices !== null) {
      // A value seen before changes nothing: its prefix, suffix and grams are in already.
      const known = choiceIndex(slot, choices, text, from, to)
      if (known >= 0) return known
      let chars = length
      for (const choice of choices) chars += choice.length
      if (choices.length >= this.#limits.maxChoices || chars > this.#limits.maxChoiceChars) {
        slot.choices = null
        slot.lookup = undefined
      } else {
        state = choices.length
        const value = text.slice(from, to)
        choices.push(value)
        slot.lookup?.set(value, state)
      }
      this.#changed = true
    }
    const grams = slot.grams as Uint32Array
    const prefix = slot.prefix
    if (length < prefix.length || !text.startsWith(prefix, from)) {
      let k = 0
      const most = Math.min(length, prefix.length)
      while (k < most && prefix.charCodeAt(k) === text.charCodeAt(from + k)) k++
      slot.prefix = prefix.slice(0, k)
      // What the prefix loses joins every earlier value's middle.
      addMiddle(grams, prefix, k, prefix.length)
      this.#changed = true
    }
    if (length < slot.minLength) {
      slot.minLength = length
      this.#changed = true
    }
    let suffix = slot.suffix
    const room = slot.minLength - slot.prefix.length
    if (suffix.length > room) suffix = suffix.slice(suffix.length - room)
    if (!text.startsWith(suffix, to - suffix.length)) {
      let k = 0
      while (k < suffix.length && suffix.charCodeAt(suffix.length - 1 - k) === text.charCodeAt(to - 1 - k)) k++
      suffix = suffix.slice(suffix.length - k)
    }
    if (suffix !== slot.suffix) {
      addMiddle(grams, slot.suffix, 0, slot.suffix.length - suffix.length)
      slot.suffix = suffix
      this.#changed = true
    }
    if (addMiddle(grams, text, from + slot.prefix.length, to - suffix.length)) this.#changed = true
    if (addValue(slot, text, from, to)) this.#changed = true
    return state
  }
}

function sameStates(a: Int32Array, b: Int32Array, n: number): boolean {
  if (a.length !== n) return false
  for (let j = 0; j < n; j++) if (a[j] !== b[j]) return false
  return true
}

/** A stored variant's slot states, read back from its key (null for an open variant). */
function statesOf(variant: ShapeVariant, shape: LineShape | undefined): Int32Array | null {
  if (variant.fixed === null || !shape) return null
  const states = new Int32Array(shape.slots.length).fill(exactSlot)
  for (const part of variant.key.split(',').slice(1)) {
    if (part.endsWith('*')) states[Number(part.slice(0, -1))] = openSlot
    else {
      const [slot, choice] = part.split(':')
      states[Number(slot)] = Number(choice)
    }
  }
  return states
}

/** Template ids from -1 up, token counts below 2^16: one safe integer. */
function shapeKey(template: number, tokens: number, continuation: boolean): number {
  return ((template + 1) * 65_536 + tokens) * 2 + (continuation ? 1 : 0)
}

function newShape(text: string, from: number, to: number, bounds: Int32Array, n: number, template: number, continuation: boolean): LineShape {
  const seps: string[] = []
  for (let j = 0; j <= n; j++) seps.push(text.slice(separatorStart(from, bounds, j), separatorEnd(to, bounds, n, j)))
  const slots: ShapeSlot[] = []
  for (let j = 0; j < n; j++) {
    const value = text.slice(bounds[2 * j], bounds[2 * j + 1])
    slots.push({ prefix: value, suffix: '', exact: true, minLength: value.length, choices: null, grams: null, ascii: true, full: 0 })
  }
  return { template, continuation, seps, slots }
}

/** A value's index among the slot's choices, or -1: compared in place while few, else looked up. */
function choiceIndex(slot: ShapeSlot, choices: string[], text: string, from: number, to: number): number {
  const length = to - from
  if (choices.length <= 8) {
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i] as string
      if (choice.length === length && text.startsWith(choice, from)) return i
    }
    return -1
  }
  slot.lookup ??= new Map(choices.map((choice, i) => [choice, i]))
  return slot.lookup.get(text.slice(from, to)) ?? -1
}

/** Values between checks for levels of a slot's grams grown too full to be worth computing. */
const crowdCheck = 256
let added = 0

/** Adds a value's grams; true when a bit was new. */
function addValue(slot: ShapeSlot, text: string, from: number, to: number): boolean {
  const grams = slot.grams as Uint32Array
  // Checked now and then (any slot's turn will do): cheap, and a full level costs half the work.
  if (++added % crowdCheck === 0 && slot.full !== allLevels) slot.full |= fillCrowded(grams)
  const grew = addAsciiGrams(grams, text, from, to, slot.full)
  if (grew !== notAscii) return grew === 1
  const changed = slot.ascii
  slot.ascii = false
  const folded = fold(text.slice(from, to))
  return addGrams(grams, folded, 0, folded.length, slot.full) || changed
}
