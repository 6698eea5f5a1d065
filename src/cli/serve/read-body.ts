/**
 * Reads a request body up to a size limit. Over the limit it stops buffering at once (a declared
 * Content-Length over the limit is refused before reading anything), so a huge or endless body
 * costs no memory.
 */
import type { IncomingMessage } from 'node:http'

export class BodyTooLargeError extends Error {
  readonly limit: number
  constructor(limit: number) {
    super(`request body is over the ${formatBytes(limit)} limit`)
    this.name = 'BodyTooLargeError'
    this.limit = limit
  }
}

export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) return reject(new BodyTooLargeError(limit))
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData)
      req.resume()
      reject(new BodyTooLargeError(limit))
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20 && bytes % (1 << 20) === 0) return `${bytes >> 20} MiB`
  if (bytes >= 1 << 10 && bytes % (1 << 10) === 0) return `${bytes >> 10} KiB`
  return `${bytes} bytes`
}
