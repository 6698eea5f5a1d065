import { startEarlyThreads } from './early-threads.ts'

// Before the rest of the CLI loads: an ingest's threads boot meanwhile (see early-threads.ts).
startEarlyThreads(process.argv)
const { createProgram } = await import('./program.ts')

try {
  await createProgram().parseAsync(process.argv)
} catch (error) {
  // Expected failures (bad file, bad flag) get one readable line, not a stack trace.
  process.stderr.write(`faultline: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = process.exitCode || 1
}
