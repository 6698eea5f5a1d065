/**
 * A batch's text as it crosses threads: a string, or, when every character is ASCII, its bytes.
 * Bytes can be transferred; a string is copied, and a string of a megabyte lands in fresh pages of
 * the receiver's heap each time (measured: 130 batches of 1 MB cost the receiving thread 440 ms of
 * CPU as strings, 20 ms as transferred bytes). Offsets index both alike: an ASCII character is
 * one byte. Consumers slice the few strings they need (`sliceText`) and copy the rest as bytes.
 */
export type BatchText = string | Uint8Array

// Node's own decoder behind `buffer.toString('latin1', …)`, without its argument checks, and
// callable on the plain Uint8Array a transfer delivers (measured: ~45 ns a short slice).
const latin1Slice = (Buffer.prototype as unknown as { latin1Slice: (this: Uint8Array, start: number, end: number) => string }).latin1Slice

/**
 * `text` as bytes in a buffer of their own (safe to transfer), or `text` itself when it holds a
 * character outside ASCII (its UTF-8 would not index like the string) or nothing.
 */
export function asciiBytes(text: string): BatchText {
  const length = text.length
  if (length === 0 || Buffer.byteLength(text, 'utf8') !== length) return text
  // Not `Buffer.from`: a short one is a slice of a shared pool, which must never be transferred.
  const bytes = Buffer.allocUnsafeSlow(length)
  bytes.write(text, 0, length, 'latin1')
  return bytes
}

/** `text.slice(start, end)` as a string, for either form. */
export function sliceText(text: BatchText, start: number, end: number): string {
  return typeof text === 'string' ? text.slice(start, end) : latin1Slice.call(text, start, end)
}

/** A copy of bytes [start, end) in a buffer of its own (a Buffer's `slice` is only a view). */
export function copyBytes(bytes: Uint8Array, start = 0, end = bytes.length): Uint8Array {
  return Uint8Array.prototype.slice.call(bytes, start, end)
}

/**
 * Buffers that carried batches' bytes to other threads and came back once those were done with
 * them (see reader-side.ts's `recycle`): a batch's megabyte written into fresh memory each time
 * was ~12,000 page faults per 1M lines on the reader's thread, ~10 µs each on the virtual
 * machines measured here. A few are kept; more go to the garbage collector.
 */
const idleBatchBuffers: ArrayBuffer[] = []
const maxIdleBatchBuffers = 16
/**
 * New buffers have this much room to spare, so one fits the next batch's text, a line longer or
 * shorter (a batch is a read's megabyte of whole lines).
 */
const batchBufferStep = 1 << 16

/** `length` bytes for a batch's text: a view of a buffer that came back, else of a new one. */
export function batchBytes(length: number): Buffer {
  const i = idleBatchBuffers.findIndex((buffer) => buffer.byteLength >= length)
  const buffer = i >= 0 ? (idleBatchBuffers.splice(i, 1)[0] as ArrayBuffer) : new ArrayBuffer((Math.floor(length / batchBufferStep) + 1) * batchBufferStep)
  return Buffer.from(buffer, 0, length)
}

/** A buffer whose batch another thread is done with, sent back here to hold the next one's bytes. */
export function recycleBatchBuffer(buffer: ArrayBuffer): void {
  // Small ones (a record held back across batches has a buffer of its own) would only crowd out
  // those that fit a batch.
  if (buffer.byteLength >= 4 * batchBufferStep && idleBatchBuffers.length < maxIdleBatchBuffers) idleBatchBuffers.push(buffer)
}

/** The bytes of `text` to transfer: none for a string. */
export function textTransferables(text: BatchText): ArrayBuffer[] {
  return typeof text === 'string' ? [] : [text.buffer as ArrayBuffer]
}
