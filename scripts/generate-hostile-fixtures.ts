/**
 * Writes the hostile-input corpus (src/core/testing/hostile-fixtures.ts) into a folder, to look
 * at or to try in the app: `node scripts/generate-hostile-fixtures.ts <dir> [--full]`.
 * `--full` makes the sizes: a 100 MB single line and a 10 GB sparse file (holes take no
 * disk space).
 */
import { resolve } from 'node:path'
import { writeHostileCorpus } from '../src/core/testing/hostile-fixtures.ts'

const args = process.argv.slice(2)
const dir = args.find((a) => !a.startsWith('--'))
if (!dir) {
  console.error('usage: node scripts/generate-hostile-fixtures.ts <dir> [--full]')
  process.exit(2)
}
const full = args.includes('--full')
const corpus = writeHostileCorpus(resolve(dir), full ? { longLineBytes: 100 * 1e6, sparseBytes: 10 * 1e9 } : {})
for (const [name, value] of Object.entries(corpus)) if (typeof value === 'string' && name !== 'dir') console.log(`${name.padEnd(14)} ${value}`)
