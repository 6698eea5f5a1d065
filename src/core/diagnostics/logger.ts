/**
 * The engine's own log: kept in a bounded ring so the app can show it (diagnostics without a
 * terminal), mirrored to a sink (stderr for the CLI and web host), and observable as events.
 */
import type { LogEntry, LogLevel } from '../../shared/api/contract.ts'
import type { Clock } from '../service/deps.ts'

export interface Logger {
  debug(scope: string, message: string): void
  info(scope: string, message: string): void
  warn(scope: string, message: string): void
  error(scope: string, message: string): void
  recent(limit: number): LogEntry[]
  onEntry(listener: (entry: LogEntry) => void): () => void
}

export interface LoggerOptions {
  clock: Clock
  capacity?: number
  /** Where lines also go; the default writes nothing. */
  sink?: (entry: LogEntry) => void
}

const levelRank: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 }

export function createLogger({ clock, capacity = 2_000, sink }: LoggerOptions): Logger {
  const ring: LogEntry[] = []
  const listeners = new Set<(entry: LogEntry) => void>()
  let seq = 0

  function write(level: LogLevel, scope: string, message: string): void {
    const entry: LogEntry = { seq: seq++, ts: clock.now(), level, scope, message }
    ring.push(entry)
    if (ring.length > capacity) ring.splice(0, ring.length - capacity)
    sink?.(entry)
    for (const listener of listeners) listener(entry)
  }

  return {
    debug: (scope, message) => write('debug', scope, message),
    info: (scope, message) => write('info', scope, message),
    warn: (scope, message) => write('warn', scope, message),
    error: (scope, message) => write('error', scope, message),
    recent: (limit) => ring.slice(-limit),
    onEntry(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    }
  }
}

/** A sink for terminals: one line per entry at or above `minLevel`. */
export function streamSink(
  write: (line: string) => void,
  minLevel: LogLevel = 'info'
): (entry: LogEntry) => void {
  return (entry) => {
    if (levelRank[entry.level] < levelRank[minLevel]) return
    write(`${new Date(entry.ts).toISOString()} ${entry.level.toUpperCase().padEnd(5)} ${entry.scope}: ${entry.message}\n`)
  }
}
