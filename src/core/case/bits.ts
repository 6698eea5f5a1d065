/**
 * Bitmaps over lines as 32-bit words: bit b of word w stands for position 32w + b. Shared by the
 * score levels, filter results and the shapes' value grams.
 */

/** Sets the bits of lines `lines[from]` … `lines[to - 1]` (bit i: line i + 1). */
export function setLines(bits: Int32Array | Uint32Array, lines: Int32Array, from: number, to: number): void {
  for (let k = from; k < to; k++) {
    const i = (lines[k] as number) - 1
    bits[i >>> 5] = (bits[i >>> 5] as number) | (1 << (i & 31))
  }
}

/** Set bits in a 32-bit word. */
export function popcount(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff
}

/** Position of the first set bit at or after `from`, or -1. */
export function nextSet(bits: Int32Array, from: number): number {
  let w = from >>> 5
  if (w >= bits.length) return -1
  let word = (bits[w] as number) & (-1 << (from & 31))
  while (word === 0) {
    if (++w >= bits.length) return -1
    word = bits[w] as number
  }
  return (w << 5) + (31 - Math.clz32(word & -word))
}

/** Position of the first clear bit at or after `from` (past the end: the bitmap's size). */
export function nextClear(bits: Int32Array, from: number): number {
  let w = from >>> 5
  if (w >= bits.length) return bits.length << 5
  let word = ~(bits[w] as number) & (-1 << (from & 31))
  while (word === 0) {
    if (++w >= bits.length) return bits.length << 5
    word = ~(bits[w] as number)
  }
  return (w << 5) + (31 - Math.clz32(word & -word))
}
