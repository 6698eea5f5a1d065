import { createProgram } from './program.ts'

try {
  await createProgram().parseAsync(process.argv)
} catch (error) {
  // Expected failures (bad file, bad flag) get one readable line, not a stack trace.
  process.stderr.write(`faultline: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = process.exitCode || 1
}
