/**
 * Child process for the kill -9 test: ingests argv[3] into the case argv[2] through the real
 * worker, committing often, and prints progress lines so the parent knows when to kill it.
 */
import { startIngest } from '../start-ingest.ts'

const [casePath, sourcePath] = process.argv.slice(2)
if (!casePath || !sourcePath) throw new Error('usage: ingest-child.ts <case> <source>')
const job = startIngest({ casePath, sourcePath, commitIntervalMs: 20, blocksPerCommit: 4, checkpointIntervalMs: 100 }, { onProgress: (p) => console.log(`lines ${p.lines}`) })
await job.done
console.log('done')
