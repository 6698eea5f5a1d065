import { readFileSync } from 'node:fs'

/**
 * CPU time of the calling thread in ms (Linux; null elsewhere). Wall time on a shared 2-core
 * machine says little about a pipeline split across threads; the busiest thread's CPU time does.
 */
export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8')
    // Fields after the command name (which may hold spaces) start at ") ".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const ticks = Number(fields[11]) + Number(fields[12])
    return Number.isFinite(ticks) ? ticks * 10 : null
  } catch {
    return null
  }
}
