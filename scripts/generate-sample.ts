/**
 * Writes the bundled sample incident into resources/sample (run after changing the generator):
 *   node scripts/generate-sample.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { renderSampleFile, sampleFiles, sampleLabelsName } from '../src/core/sample/sample-files.ts'

const dir = new URL('../resources/sample', import.meta.url).pathname
mkdirSync(dir, { recursive: true })
for (const which of ['baseline', 'incident'] as const) {
  const { text, labels } = renderSampleFile(which)
  // A fixed gzip header (no mtime, no name) keeps the output byte-identical run to run.
  writeFileSync(join(dir, sampleFiles[which].name), gzipSync(text, { level: 9 }))
  if (which === 'incident') writeFileSync(join(dir, sampleLabelsName), JSON.stringify(labels) + '\n')
  console.log(`${sampleFiles[which].name}: ${labels.totalLines} lines, ${labels.injectedLines} injected, ${(text.length / 1e6).toFixed(1)} MB`)
}
