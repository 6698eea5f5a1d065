const BLOCK_BITS = 16
const BLOCK = 1 << BLOCK_BITS

/** Read side of an `IntList`. */
export interface IntSequence {
  readonly length: number
  at(index: number): number
}

/**
 * Append-only int32 list in fixed blocks: one slot per record, no per-element JS cost and no
 * doubling copies (a 10M-line file would otherwise briefly hold 40 + 80 MB).
 */
export class IntList implements IntSequence {
  readonly #blocks: Int32Array[] = []
  #length = 0

  get length(): number {
    return this.#length
  }

  push(v: number): void {
    const offset = this.#length & (BLOCK - 1)
    if (offset === 0) this.#blocks.push(new Int32Array(BLOCK))
    ;(this.#blocks[this.#blocks.length - 1] as Int32Array)[offset] = v
    this.#length++
  }

  /** The value at `index`, or -1 outside the list. */
  at(index: number): number {
    if (index < 0 || index >= this.#length) return -1
    return (this.#blocks[index >>> BLOCK_BITS] as Int32Array)[index & (BLOCK - 1)] ?? -1
  }
}
