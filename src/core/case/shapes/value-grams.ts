/**
 * What a variable token's values are made of, in a few hundred bytes: a bitmap each of the pairs
 * and triples of characters in its values, and of the characters of their middles (folded, see
 * `fold`). A text lies inside such a value only if all of its characters, pairs and triples are
 * set, so a test says "no" only when that is certain (the bitmaps share bits, never lose them).
 */
import { popcount } from '../bits.ts'

/**
 * 512 bits of pairs, 1,024 of triples (of whole values), then 256 bits of the characters of the
 * values' middles alone (what lies between a slot's prefix and suffix).
 */
export const gramWords = 16 + 32 + 8
const pairBase = 0
const tripleBase = 16
const middleBase = 48

/**
 * Bits of a level (pairs, triples) no longer worth keeping: once half its bits are set it rules
 * out little, so it is filled with ones (allowing everything) and no longer computed.
 */
const gramLevel = { pairs: 1, triples: 2 } as const
/** Every level full: nothing left to compute but the middles. */
export const allLevels = gramLevel.pairs | gramLevel.triples
const levelWords = [
  [gramLevel.pairs, pairBase, tripleBase],
  [gramLevel.triples, tripleBase, middleBase]
] as const

/** Fills the levels at least half set; returns the levels now full (to be skipped from now on). */
export function fillCrowded(grams: Uint32Array): number {
  let full = 0
  for (const [level, from, to] of levelWords) {
    let set = 0
    for (let w = from; w < to; w++) set += popcount(grams[w] as number)
    if (set * 2 >= (to - from) * 32) {
      grams.fill(0xffffffff, from, to)
      full |= level
    }
  }
  return full
}

/**
 * The one case folding the shapes use, character by character: lower case, with the final sigma
 * folded onto σ (lower-casing Σ depends on its neighbours, folding must not). A plain search's
 * hits, case-sensitive or not, are also hits between folded texts.
 */
export function fold(text: string): string {
  const lower = text.toLowerCase()
  return lower.includes('ς') ? lower.replaceAll('ς', 'σ') : lower
}

/** ASCII lower-casing of one code unit (others unchanged). */
export function asciiLower(code: number): number {
  return code >= 65 && code <= 90 ? code | 32 : code
}

const charBit = (c: number): number => c & 255
const pairBit = (a: number, b: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77)) >>> 23
const tripleBit = (a: number, b: number, c: number): number => (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 22

function has(grams: Uint32Array, word: number, bit: number): boolean {
  return ((grams[word + (bit >>> 5)] as number) & (1 << (bit & 31))) !== 0
}

/**
 * Adds the grams of `text[from, to)`: a folded text, or an ASCII one (whose folding is the
 * ASCII lower-casing done here). True when a bit was new.
 */
export function addGrams(grams: Uint32Array, text: string, from: number, to: number, skip = 0): boolean {
  return addRun(grams, text, from, to, false, skip) === 1
}

/** `addAsciiGrams`' answer for a text that is not all ASCII (nothing added then). */
export const notAscii = -1

/** `addGrams` for a text that may turn out not to be ASCII: 1 when a bit was new, else 0 or `notAscii`. */
export function addAsciiGrams(grams: Uint32Array, text: string, from: number, to: number, skip = 0): number {
  return addRun(grams, text, from, to, true, skip)
}

// One loop for both (the hot path of learning shapes): set bits, note whether any was new. Full
// levels (`skip`, see fillCrowded) are left alone.
function addRun(grams: Uint32Array, text: string, from: number, to: number, asciiOnly: boolean, skip: number): number {
  if (asciiOnly) for (let i = from; i < to; i++) if (text.charCodeAt(i) > 0x7f) return notAscii
  const pairs = (skip & gramLevel.pairs) === 0
  const triples = (skip & gramLevel.triples) === 0
  let grew = 0
  let a = -1
  let b = -1
  for (let i = from; i < to; i++) {
    const c = asciiLower(text.charCodeAt(i))
    if (pairs && b >= 0 && setBit(grams, pairBase, pairBit(b, c))) grew = 1
    if (triples && a >= 0 && setBit(grams, tripleBase, tripleBit(a, b, c))) grew = 1
    a = b
    b = c
  }
  return grew
}

function setBit(grams: Uint32Array, base: number, bit: number): boolean {
  const at = base + (bit >>> 5)
  const before = grams[at] as number
  const after = before | (1 << (bit & 31))
  if (after === before) return false
  grams[at] = after
  return true
}

/** The levels of `grams` that are all ones (full, see fillCrowded). */
export function fullLevels(grams: Uint32Array): number {
  let full = 0
  for (const [level, from, to] of levelWords) {
    let all = true
    for (let w = from; w < to && all; w++) all = grams[w] === 0xffffffff
    if (all) full |= level
  }
  return full
}

/** Adds the characters of a stretch of middle, folded (ASCII ones here, others by `fold`); true when one was new. */
export function addMiddle(grams: Uint32Array, text: string, from: number, to: number): boolean {
  let grew = false
  for (let i = from; i < to; i++) {
    const code = text.charCodeAt(i)
    if (code > 0x7f) return addFoldedMiddle(grams, fold(text.slice(i, to))) || grew
    if (setBit(grams, middleBase, charBit(asciiLower(code)))) grew = true
  }
  return grew
}

function addFoldedMiddle(grams: Uint32Array, folded: string): boolean {
  let grew = false
  for (let i = 0; i < folded.length; i++) if (setBit(grams, middleBase, charBit(folded.charCodeAt(i)))) grew = true
  return grew
}

/** Whether some value's middle may hold `c` (folded). */
export function hasMiddleChar(grams: Uint32Array, c: number): boolean {
  return has(grams, middleBase, charBit(c))
}

export function hasPair(grams: Uint32Array, a: number, b: number): boolean {
  return has(grams, pairBase, pairBit(a, b))
}

export function hasTriple(grams: Uint32Array, a: number, b: number, c: number): boolean {
  return has(grams, tripleBase, tripleBit(a, b, c))
}
