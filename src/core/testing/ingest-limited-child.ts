/**
 * Child process for the disk-full test: started under `ulimit -f` (with SIGXFSZ ignored, so a
 * write past the limit fails with EFBIG instead of killing the process), it ingests argv[3] into
 * the case argv[2] and prints how that ended as one JSON line.
 */
import { startIngest } from '../ingest/start-ingest.ts'

const [casePath, sourcePath] = process.argv.slice(2)
if (!casePath || !sourcePath) throw new Error('usage: ingest-limited-child.ts <case> <source>')
try {
  const summary = await startIngest({ casePath, sourcePath, commitIntervalMs: 20, blocksPerCommit: 4, hash: false }).done
  console.log(JSON.stringify({ ok: true, state: summary.state, lines: summary.lines }))
} catch (error) {
  console.log(JSON.stringify({ ok: false, message: error instanceof Error ? error.message : String(error) }))
}
