/** A writable that keeps what a command prints, for the CLI tests. */
import { Writable } from 'node:stream'

export function capture(): { stream: Writable; text: () => string } {
  let text = ''
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString()
      done()
    }
  })
  return { stream, text: () => text }
}
