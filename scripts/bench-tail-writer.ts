/**
 * The writer process of `bench:tail`: appends stamped lines to a file at a steady rate, in a
 * write every `tickMs`, with a burst of anomalous lines every `burstEverySec` and one rotation
 * (rename, then a new file at the path) half-way. Prints {written, bursts} as JSON when done.
 *   node scripts/bench-tail-writer.ts <file> <lines/s> <seconds>
 */
import { closeSync, openSync, renameSync, writeSync } from 'node:fs'
import { generateSample } from '../src/core/sample/sample-incident.ts'
import { burstTemplates, now, stamped } from './bench-tail-lines.ts'

const [file, rateArg, secondsArg] = process.argv.slice(2)
if (file === undefined) throw new Error('usage: bench-tail-writer.ts <file> <lines/s> <seconds>')
const rate = Number(rateArg ?? 10_000)
const seconds = Number(secondsArg ?? 20)
const tickMs = 10
const burstEverySec = 0.5
const burstLines = 4
const total = Math.round(rate * seconds)
const normal = generateSample({ seed: 23, lines: total, fault: null, requestsPerSecond: 40 })

let fd = openSync(file, 'a')
let seq = 0
let normalWritten = 0
let bursts = 0
let exhausted = false
let rotated = false
const start = now()
let nextBurst = start + burstEverySec * 1_000
for (let tick = 1; normalWritten < total && !exhausted; tick++) {
  // Catch up with the schedule if a tick came late: the rate holds on average.
  const due = Math.min(total, Math.round(((now() - start) / 1_000) * rate))
  const parts: string[] = []
  const at = now()
  while (normalWritten < due) {
    const next = normal.next()
    if (next.done === true) {
      exhausted = true
      break
    }
    normalWritten++
    parts.push(stamped(next.value.text, ++seq, at))
  }
  if (at >= nextBurst) {
    nextBurst += burstEverySec * 1_000
    for (let i = 0; i < burstLines; i++) parts.push(stamped((burstTemplates[bursts % burstTemplates.length] as (n: number) => string)(i + 1), ++seq, at))
    bursts++
  }
  if (parts.length > 0) writeSync(fd, parts.join('\n') + '\n')
  if (!rotated && normalWritten >= total / 2) {
    rotated = true
    closeSync(fd)
    renameSync(file, `${file}.1`)
    fd = openSync(file, 'a')
  }
  const wait = start + tick * tickMs - now()
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}
closeSync(fd)
process.stdout.write(`${JSON.stringify({ written: seq, bursts: bursts * burstLines, seconds: (now() - start) / 1_000 })}\n`)
