import { readdirSync, readFileSync } from 'node:fs'

/**
 * CPU time of the calling thread in ms (Linux; null elsewhere). Wall time on a shared 2-core
 * machine says little about a pipeline split across threads; the busiest thread's CPU time does.
 */
export function threadCpuMs(): number | null {
  try {
    return ticksMs(readFileSync('/proc/thread-self/stat', 'utf8'))
  } catch {
    return null
  }
}

/** User plus system time from a thread's `stat` line. */
function ticksMs(stat: string): number | null {
  // Fields after the command name (which may hold spaces) start at ") ".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return Number.isFinite(ticks) ? ticks * 10 : null
}

/**
 * CPU time (ms) of each of this process's threads by thread id (Linux; null elsewhere): also
 * the threads no JavaScript runs on, V8's garbage collector and compiler helpers among them.
 */
export function processThreadsCpuMs(): Map<string, number> | null {
  try {
    const out = new Map<string, number>()
    for (const tid of readdirSync('/proc/self/task')) {
      let stat: string
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      } catch {
        continue // it ended while being listed
      }
      const ms = ticksMs(stat)
      if (ms !== null) out.set(tid, ms)
    }
    return out
  } catch {
    return null
  }
}
