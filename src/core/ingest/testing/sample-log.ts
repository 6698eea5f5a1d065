/** Writes the generated sample incident to a file, for tests, the kill -9 child and the bench. */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { generateSample } from '../../sample/sample-incident.ts'
import type { SampleOptions } from '../../sample/sample-incident.ts'

export async function writeSampleLog(path: string, options: SampleOptions): Promise<{ lines: number; bytes: number }> {
  const out = createWriteStream(path)
  let batch: string[] = []
  let lines = 0
  let bytes = 0
  const flush = async (): Promise<void> => {
    const text = batch.join('\n') + '\n'
    bytes += Buffer.byteLength(text)
    batch = []
    if (!out.write(text)) await once(out, 'drain')
  }
  for (const { text } of generateSample({ fault: { startAt: 0.5, length: 0.2 }, ...options })) {
    batch.push(text)
    lines++
    if (batch.length === 10_000) await flush()
  }
  if (batch.length > 0) await flush()
  out.end()
  await once(out, 'close')
  return { lines, bytes }
}
