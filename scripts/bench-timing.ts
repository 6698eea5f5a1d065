/** Times a benchmark step and prints wall and CPU seconds (process.cpuUsage: user + system, all threads). */
export async function timed<T>(label: string, run: () => T | Promise<T>, width = 44): Promise<T> {
  const cpu = process.cpuUsage()
  const start = performance.now()
  const result = await run()
  const wall = (performance.now() - start) / 1_000
  const used = process.cpuUsage(cpu)
  console.log(`${label.padEnd(width)} ${wall.toFixed(2).padStart(6)} s wall  ${((used.user + used.system) / 1e6).toFixed(2).padStart(6)} s CPU`)
  return result
}

/**
 * A fixed piece of work like the engine's own (a scan over log text, hashing characters into a
 * bitmap), timed: the machine's speed, printed beside benchmark figures so that runs on
 * different machines (or the same machine on a slow day) can be compared. Best of five runs.
 */
export function referenceWorkMs(): number {
  let text = ''
  for (let i = 0; text.length < 4_000_000; i++) text += `2026-11-24T15:${String(i % 60).padStart(2, '0')}:07.384Z INFO  [gateway] Completed GET /api/v1/products/${(i * 7919) % 100_000} 200 in ${i % 97} ms\n`
  const bits = new Uint32Array(1 << 15)
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < 5; run++) {
    const start = performance.now()
    let a = 0
    let b = 0
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i)
      const slot = (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d)) >>> 17
      bits[slot >>> 5] = (bits[slot >>> 5] as number) | (1 << (slot & 31))
      a = b
      b = c
    }
    best = Math.min(best, performance.now() - start)
  }
  return best
}
