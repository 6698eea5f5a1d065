/**
 * Which batches' bytes a commit may hand over to the commit thread. A block of one batch's lines
 * is a view of that batch's bytes (see BlockBuilder); copying each block's text into a buffer of
 * its own to send it was ~10% of the pipeline thread's time at 1M lines (130 MB at ~1 GB/s). A
 * batch that came from a reader thread has a buffer of its own, so once the pipeline is done with
 * it (not the batch it reads now, and no line of the open block in it), the buffer goes to the
 * commit thread with the blocks that view it: transferred, not copied. Other views are copied.
 */
import type { EncodedBlock } from '../case/block-builder.ts'
import { copyBytes } from '../read/batch-text.ts'
import type { BatchText } from '../read/batch-text.ts'

export class BatchBuffers {
  /** Whether each batch's bytes are a buffer of their own, which may be handed over. */
  readonly #own: boolean
  /** Where buffers go that nothing here holds any more (back to the reader), if anywhere. */
  readonly #recycle: ((buffers: ArrayBuffer[]) => void) | undefined
  /** Buffers of batches read and not handed over yet, the one read now last. */
  readonly #held = new Set<ArrayBufferLike>()
  #current: ArrayBufferLike | null = null

  constructor(ownBuffers: boolean, recycle?: (buffers: ArrayBuffer[]) => void) {
    this.#own = ownBuffers
    this.#recycle = recycle
  }

  /** The pipeline reads this batch now. */
  reading(text: BatchText): void {
    this.#current = typeof text === 'string' ? null : text.buffer
    if (this.#own && this.#current !== null) this.#held.add(this.#current)
  }

  /**
   * Makes `blocks` fit to go to another thread: returns the buffers to transfer with them, and
   * replaces by a copy each text that views bytes still in use (`open`: the open block's texts).
   * Batches done with are forgotten: handed over, or else given back for recycling.
   */
  handOver(blocks: EncodedBlock[], open: readonly BatchText[]): ArrayBuffer[] {
    const keep = new Set<ArrayBufferLike>()
    if (this.#current !== null) keep.add(this.#current)
    for (const text of open) if (typeof text !== 'string') keep.add(text.buffer)
    const out: ArrayBuffer[] = []
    for (const block of blocks) {
      const text = block.text
      const buffer = text.buffer
      if (this.#held.has(buffer) && !keep.has(buffer)) {
        if (!out.includes(buffer as ArrayBuffer)) out.push(buffer as ArrayBuffer)
      } else if (text.byteOffset !== 0 || text.byteLength !== buffer.byteLength || this.#held.has(buffer)) {
        // A view of bytes that stay here (or that others share): a copy of its own.
        block.text = copyBytes(text)
      }
    }
    const dropped: ArrayBuffer[] = []
    for (const buffer of this.#held) {
      if (keep.has(buffer)) continue
      this.#held.delete(buffer)
      if (!out.includes(buffer as ArrayBuffer) && buffer instanceof ArrayBuffer) dropped.push(buffer)
    }
    if (dropped.length > 0) this.#recycle?.(dropped)
    return out
  }
}
