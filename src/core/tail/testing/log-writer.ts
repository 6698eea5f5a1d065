/**
 * A separate writer process for the follower's tests: appends numbered lines (`seq=<n> …`) to a
 * file following a script given as JSON in argv[3], the way real loggers and logrotate do.
 *   { append: n, every?: ms, per?: k }  n lines, k per write, a pause of `every` ms between writes
 *   { split: true }                      one line written in two chunks, 300 ms apart
 *   { rotate: 'rename', late?: n }       rename to `<file>.1`, write n (default 20) more lines to
 *                                        the old descriptor (a late reopen), then reopen the path
 *   { rotate: 'copytruncate' }           copy to `<file>.1` and truncate in place, same descriptor
 *   { rotate: 'delete' }                 unlink, 5 more lines to the old descriptor, recreate
 *   { crlf: true }                       later lines end with CRLF
 *   { raw: text, lines: n }              `text` as is, counted as n lines (ends a line begun before)
 * Prints `done <last seq>` when finished. Run: node log-writer.ts <file> '<json steps>'.
 */
import { closeSync, copyFileSync, ftruncateSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs'

type Step =
  | { append: number; every?: number; per?: number }
  | { split: true }
  | { rotate: 'rename'; late?: number }
  | { rotate: 'copytruncate' | 'delete' }
  | { crlf: true }
  | { raw: string; lines: number }

const [file, script] = process.argv.slice(2)
if (file === undefined || script === undefined) throw new Error('usage: log-writer.ts <file> <steps json>')
const steps = JSON.parse(script) as Step[]
let fd = openSync(file, 'a')
let seq = 0
let eol = '\n'

const line = (): string => `2026-11-25T10:00:00.000Z INFO worker: seq=${++seq} processed item ${seq * 7} in ${seq % 50} ms${eol}`
const write = (text: string): void => {
  writeSync(fd, text)
}
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

for (const step of steps) {
  if ('append' in step) {
    const per = step.per ?? step.append
    for (let done = 0; done < step.append; ) {
      let chunk = ''
      for (let i = 0; i < per && done < step.append; i++, done++) chunk += line()
      write(chunk)
      if (step.every !== undefined) await sleep(step.every)
    }
  } else if ('split' in step) {
    const text = line()
    write(text.slice(0, 30))
    await sleep(300)
    write(text.slice(30))
  } else if ('raw' in step) {
    write(step.raw)
    seq += step.lines
  } else if ('crlf' in step) {
    eol = '\r\n'
  } else if (step.rotate === 'rename') {
    renameSync(file, `${file}.1`)
    for (let i = 0; i < (step.late ?? 20); i++) write(line())
    await sleep(50)
    closeSync(fd)
    fd = openSync(file, 'a')
  } else if (step.rotate === 'copytruncate') {
    copyFileSync(file, `${file}.1`)
    ftruncateSync(fd, 0)
  } else {
    unlinkSync(file)
    for (let i = 0; i < 5; i++) write(line())
    await sleep(50)
    closeSync(fd)
    fd = openSync(file, 'a')
  }
}
closeSync(fd)
process.stdout.write(`done ${seq}\n`)
