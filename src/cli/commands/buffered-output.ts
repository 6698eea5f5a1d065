import type { Writable } from 'node:stream'

const FLUSH_BYTES = 64 * 1024

/** Collects small writes into large chunks and waits for `drain` when the stream is full. */
export class BufferedOutput {
  readonly #out: Writable
  #parts: string[] = []
  #size = 0
  #closed = false

  constructor(out: Writable) {
    this.#out = out
    // A reader that goes away (`| head`) is a normal end, not a crash.
    out.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') this.#closed = true
    })
  }

  /** True once the reader has gone away; producers should stop. */
  get closed(): boolean {
    return this.#closed
  }

  write(text: string): void {
    if (this.#closed) return
    this.#parts.push(text)
    this.#size += text.length
  }

  /** Flushes when enough is buffered; await it between batches. */
  async maybeFlush(): Promise<void> {
    if (this.#size >= FLUSH_BYTES) await this.flush()
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0 || this.#closed) return
    const chunk = this.#parts.join('')
    this.#parts = []
    this.#size = 0
    if (!this.#out.write(chunk)) {
      await new Promise<void>((resolve, reject) => {
        const onError = (err: NodeJS.ErrnoException): void => {
          this.#out.off('drain', onDrain)
          if (err.code === 'EPIPE') resolve()
          else reject(err)
        }
        const onDrain = (): void => {
          this.#out.off('error', onError)
          resolve()
        }
        this.#out.once('drain', onDrain)
        this.#out.once('error', onError)
      })
    }
  }
}
