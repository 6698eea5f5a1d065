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
