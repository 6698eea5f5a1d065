/**
 * Session key → id for an ingest, off the JS heap. A log with a request id on every few lines
 * has millions of sessions (2 million in the 10M-line bench): as a `Map<string, number>` each
 * cost ~120 bytes of heap (a string, a sliced string, a map entry, and the old generation's
 * slack around them), here ~45: the key's characters in a byte arena, a few typed-array slots.
 * Lookups hash the key where it stands in the batch's text, so a known key allocates nothing.
 * Ids are dense, in order of first appearance, like the lines' session column.
 */
import { grownTo } from '../../shared/typed-array.ts'
import type { BatchText } from '../read/batch-text.ts'
import { sliceText } from '../read/batch-text.ts'

/** Arena chunk size (bytes); a longer key gets a chunk of its own. */
const CHUNK = 1 << 20

/** Set by `hashKey`: whether the key it hashed has only characters below 256. */
let keyIsNarrow = true

function hashKey(text: BatchText, start: number, end: number): number {
  if (typeof text !== 'string') return hashBytes(text, start, end)
  let h = 0x811c9dc5
  let wide = 0
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i)
    wide |= c & 0xff00
    h = Math.imul(h ^ c, 16777619)
  }
  keyIsNarrow = wide === 0
  return h
}

/** `hashKey` of ASCII bytes (the same hash as of their string): a loop of its own stays monomorphic. */
function hashBytes(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5
  for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), 16777619)
  keyIsNarrow = true
  return h
}

/** Per id in `#records`: arena chunk (-1: a wide key in `#wide`), offset in it, length, hash. */
const RECORD = 4

export class SessionKeyTable {
  /** Keys whose characters are all below 256, one byte per character. */
  readonly #chunks: Buffer[] = [Buffer.alloc(CHUNK)]
  #used = 0
  /**
   * An id's fields side by side, and each slot's hash beside its id: at millions of keys every
   * array access is a cache miss, and a lookup now makes three (slot, record, key bytes) where
   * one array per field made six (measured at 10M lines: the table's lookups were 8% of the
   * pipeline thread).
   */
  #records = new Int32Array(1024 * RECORD)
  /** Open addressing, linear probing: pairs (hash, id + 1), id + 1 = 0 empty. */
  #slots = new Int32Array(2048 * 2)
  #size = 0
  /** Keys with a character of 256 or more (rare): by key and by id. */
  readonly #wide = new Map<string, number>()
  readonly #wideKeys = new Map<number, string>()

  get size(): number {
    return this.#size
  }

  /** The id of `text.slice(start, end)`, or -1 when it was never added. */
  find(text: BatchText, start: number, end: number): number {
    const h = hashKey(text, start, end)
    const narrow = keyIsNarrow
    if (!narrow) return this.#wide.get(sliceText(text, start, end)) ?? -1
    const slots = this.#slots
    const mask = (slots.length >>> 1) - 1
    const length = end - start
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = (slots[2 * s + 1] as number) - 1
      if (id < 0) return -1
      if (slots[2 * s] === h && this.#records[id * RECORD + 2] === length && this.#equals(id, text, start)) return id
    }
  }

  /** Adds a key not in the table (see `find`); returns its id (the next one). */
  add(text: BatchText, start: number, end: number): number {
    const id = this.#size++
    if ((id + 1) * RECORD > this.#records.length) this.#growIds()
    const h = hashKey(text, start, end)
    const narrow = keyIsNarrow
    const length = end - start
    const r = id * RECORD
    this.#records[r + 2] = length
    this.#records[r + 3] = h
    if (!narrow) {
      const key = sliceText(text, start, end)
      this.#records[r] = -1
      this.#wide.set(key, id)
      this.#wideKeys.set(id, key)
      return id
    }
    let chunk = this.#chunks.length - 1
    if (this.#used + length > CHUNK) {
      this.#chunks.push(Buffer.alloc(Math.max(CHUNK, length)))
      chunk++
      this.#used = 0
    }
    const bytes = this.#chunks[chunk] as Buffer
    const at = this.#used
    if (typeof text === 'string') for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(start + i)
    else bytes.set(text.subarray(start, end), at)
    this.#used += length
    this.#records[r] = chunk
    this.#records[r + 1] = at
    if (this.#size * 2 > this.#slots.length >>> 1) this.#rehash(this.#slots.length)
    else this.#place(id)
    return id
  }

  /** Adds `key` with the next id (a resume reloading the registered sessions). */
  addKey(key: string): number {
    return this.add(key, 0, key.length)
  }

  /** The key of session `id`. */
  key(id: number): string {
    const r = id * RECORD
    const chunk = this.#records[r] as number
    if (chunk < 0) return this.#wideKeys.get(id) as string
    const at = this.#records[r + 1] as number
    return (this.#chunks[chunk] as Buffer).toString('latin1', at, at + (this.#records[r + 2] as number))
  }

  #equals(id: number, text: BatchText, start: number): boolean {
    const r = id * RECORD
    const bytes = this.#chunks[this.#records[r] as number] as Buffer
    const at = this.#records[r + 1] as number
    const length = this.#records[r + 2] as number
    if (typeof text !== 'string') {
      for (let i = 0; i < length; i++) if (bytes[at + i] !== text[start + i]) return false
      return true
    }
    for (let i = 0; i < length; i++) if (bytes[at + i] !== text.charCodeAt(start + i)) return false
    return true
  }

  #place(id: number): void {
    const slots = this.#slots
    const mask = (slots.length >>> 1) - 1
    const h = this.#records[id * RECORD + 3] as number
    let s = h & mask
    while (slots[2 * s + 1] !== 0) s = (s + 1) & mask
    slots[2 * s] = h
    slots[2 * s + 1] = id + 1
  }

  /** Doubles the slots (`capacity` slots before, two numbers each). */
  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity * 2)
    for (let id = 0; id < this.#size; id++) if ((this.#records[id * RECORD] as number) >= 0) this.#place(id)
  }

  /** Grows by half (not doubling): these records are most of the table at millions of keys. */
  #growIds(): void {
    this.#records = grownTo(this.#records, Math.ceil((this.#records.length / RECORD) * 1.5) * RECORD)
  }
}
