/**
 * Session key → id for an ingest, off the JS heap. A log with a request id on every few lines
 * has millions of sessions (2 million in the 10M-line bench): as a `Map<string, number>` each
 * cost ~120 bytes of heap (a string, a sliced string, a map entry, and the old generation's
 * slack around them), here ~45: the key's characters in a byte arena, a few typed-array slots.
 * Lookups hash the key where it stands in the batch's text, so a known key allocates nothing.
 * Ids are dense, in order of first appearance, like the lines' session column.
 */

/** Arena chunk size (bytes); a longer key gets a chunk of its own. */
const CHUNK = 1 << 20

/** Set by `hashKey`: whether the key it hashed has only characters below 256. */
let keyIsNarrow = true

function hashKey(text: string, start: number, end: number): number {
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

export class SessionKeyTable {
  /** Keys whose characters are all below 256, one byte per character. */
  readonly #chunks: Buffer[] = [Buffer.alloc(CHUNK)]
  #used = 0
  /** Per id: chunk, offset in it, length, hash; -1 chunk: a wide key in `#wide`. */
  #chunk = new Int32Array(1024)
  #offset = new Int32Array(1024)
  #length = new Int32Array(1024)
  #hash = new Int32Array(1024)
  /** Open addressing, linear probing: id + 1, 0 empty. */
  #slots = new Int32Array(2048)
  #size = 0
  /** Keys with a character of 256 or more (rare): by key and by id. */
  readonly #wide = new Map<string, number>()
  readonly #wideKeys = new Map<number, string>()

  get size(): number {
    return this.#size
  }

  /** The id of `text.slice(start, end)`, or -1 when it was never added. */
  find(text: string, start: number, end: number): number {
    const h = hashKey(text, start, end)
    const narrow = keyIsNarrow
    if (!narrow) return this.#wide.get(text.slice(start, end)) ?? -1
    const mask = this.#slots.length - 1
    const length = end - start
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const id = (this.#slots[s] as number) - 1
      if (id < 0) return -1
      if (this.#hash[id] === h && this.#length[id] === length && this.#equals(id, text, start)) return id
    }
  }

  /** Adds a key not in the table (see `find`); returns its id (the next one). */
  add(text: string, start: number, end: number): number {
    const id = this.#size++
    if (id === this.#chunk.length) this.#growIds()
    const h = hashKey(text, start, end)
    const narrow = keyIsNarrow
    const length = end - start
    this.#length[id] = length
    this.#hash[id] = h
    if (!narrow) {
      const key = text.slice(start, end)
      this.#chunk[id] = -1
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
    for (let i = 0; i < length; i++) bytes[at + i] = text.charCodeAt(start + i)
    this.#used += length
    this.#chunk[id] = chunk
    this.#offset[id] = at
    if (this.#size * 2 > this.#slots.length) this.#rehash(this.#slots.length * 2)
    else this.#place(id)
    return id
  }

  /** Adds `key` with the next id (a resume reloading the registered sessions). */
  addKey(key: string): number {
    return this.add(key, 0, key.length)
  }

  /** The key of session `id`. */
  key(id: number): string {
    const chunk = this.#chunk[id] as number
    if (chunk < 0) return this.#wideKeys.get(id) as string
    const at = this.#offset[id] as number
    return (this.#chunks[chunk] as Buffer).toString('latin1', at, at + (this.#length[id] as number))
  }

  #equals(id: number, text: string, start: number): boolean {
    const bytes = this.#chunks[this.#chunk[id] as number] as Buffer
    const at = this.#offset[id] as number
    const length = this.#length[id] as number
    for (let i = 0; i < length; i++) if (bytes[at + i] !== text.charCodeAt(start + i)) return false
    return true
  }

  #place(id: number): void {
    const mask = this.#slots.length - 1
    let s = (this.#hash[id] as number) & mask
    while (this.#slots[s] !== 0) s = (s + 1) & mask
    this.#slots[s] = id + 1
  }

  #rehash(capacity: number): void {
    this.#slots = new Int32Array(capacity)
    for (let id = 0; id < this.#size; id++) if ((this.#chunk[id] as number) >= 0) this.#place(id)
  }

  /** Grows by half (not doubling): these arrays are most of the table at millions of keys. */
  #growIds(): void {
    const capacity = Math.ceil(this.#chunk.length * 1.5)
    const grow = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(capacity)
      b.set(a)
      return b
    }
    this.#chunk = grow(this.#chunk)
    this.#offset = grow(this.#offset)
    this.#length = grow(this.#length)
    this.#hash = grow(this.#hash)
  }
}
