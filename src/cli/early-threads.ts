/**
 * Ingest threads the CLI starts as it starts, for a command that ingests (`open`): booting them
 * (~0.25 s of CPU on two cores) overlaps the ~0.6 s the CLI takes to load the rest of its code,
 * rather than following it. Threads nobody takes do not keep the process alive (start-ingest.ts).
 */
import { IngestThreads } from '../core/ingest/start-ingest.ts'
import { freshBuiltWorkers, pickIngestWorkers } from './built-workers.ts'

let early: Promise<IngestThreads | undefined> | undefined

/** Starts the threads when `argv` runs a command that will want them; else does nothing. */
export function startEarlyThreads(argv: readonly string[]): void {
  if (argv[2] !== 'open') return
  early = freshBuiltWorkers().then(
    (workers) => new IngestThreads(pickIngestWorkers(workers)),
    () => undefined
  )
}

/** The threads started early, once (undefined when none were, or they could not start). */
export async function takeEarlyThreads(): Promise<IngestThreads | undefined> {
  const threads = early
  early = undefined
  return threads
}
