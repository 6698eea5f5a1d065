import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'

/**
 * SHA-256 of a file as stored (compressed bytes for a .gz), streamed. Run beside the pipeline,
 * not inside it: hashing costs about 5% of an ingest and the other core is otherwise idle.
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  const stream = createReadStream(path, { highWaterMark: 1 << 20, ...(signal && { signal }) })
  for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk)
  return hash.digest('hex')
}
