import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { parseFile, replayParsed } from './parse-file.ts'
import type { ParsedLine } from './parse-file.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-parse-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const LOG = [
  '2023-04-05 06:07:08,100 INFO [main] app.Server: Started in 31 ms',
  '2023-04-05 06:07:09,200 INFO [main] app.Server: Started in 45 ms',
  '2023-04-05 06:07:10,300 ERROR [worker-1] app.Job: Job 17 failed',
  'java.lang.IllegalStateException: bad state',
  '\tat app.Job.run(Job.java:10)',
  '2023-04-05 06:07:11,400 ERROR [worker-2] app.Job: Job 18 failed'
].join('\r\n')

async function replay(path: string, options = {}): Promise<ParsedLine[]> {
  const result = await parseFile(path, options)
  const out: ParsedLine[] = []
  await replayParsed(path, result, options, (lines) => {
    out.push(...lines)
  })
  return out
}

describe('parseFile', () => {
  it('runs reader → detection → miner and groups stack traces', async () => {
    const path = join(dir, 'app.log.gz')
    writeFileSync(path, gzipSync(LOG))
    const result = await parseFile(path)
    expect(result.description).toBe('<Timestamp> <Level> <Thread> <Component>: <Content>')
    expect(result.lines).toBe(6)
    expect(result.records).toBe(4)
    expect(result.compression).toBe('gzip')
    expect(result.miner.templates().map((t) => t.text)).toEqual(['Started in <*> ms', 'Job <*> failed'])
  })

  it('replays one object per physical line with final templates', async () => {
    const path = join(dir, 'app.log')
    writeFileSync(path, LOG)
    const lines = await replay(path)
    expect(lines.map((l) => l.line)).toEqual([1, 2, 3, 4, 5, 6])
    expect(lines[2]).toMatchObject({ ts: Date.UTC(2023, 3, 5, 6, 7, 10, 300), level: 'ERROR', component: 'app.Job', template: 'Job <*> failed', params: ['17'] })
    // Continuation lines carry their record's template.
    expect(lines[3]?.templateId).toBe(lines[2]?.templateId)
    expect(lines[4]?.params).toEqual([])
  })

  it('reads UTF-16 with a BOM and dates year-less stamps by the file', async () => {
    const path = join(dir, 'utf16.log')
    const text = ['Mar  3 01:02:03 box cron[1]: job ä started', 'Mar  3 01:02:04 box cron[1]: job ö started'].join('\r\n')
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const lines = await replay(path, { defaultYear: 2020 })
    expect(lines.map((l) => l.content)).toEqual(['job ä started', 'job ö started'])
    expect(lines[0]?.ts).toBe(Date.UTC(2020, 2, 3, 1, 2, 3))
  })

  it('can keep every line as its own record and honour a user format', async () => {
    const path = join(dir, 'app2.log')
    writeFileSync(path, LOG)
    const lines = await replay(path, { multiline: false, format: '<Date> <Time> <Level> [<Thread>] <Component>: <Content>' })
    expect(lines).toHaveLength(6)
    expect(lines[0]).toMatchObject({ level: 'INFO', component: 'app.Server', template: 'Started in <*> ms' })
  })
})
