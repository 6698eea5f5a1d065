import { execFile } from 'node:child_process'
import { appendFileSync, copyFileSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { followFile } from './follow-file.ts'
import type { FollowChange, FollowedLine } from './follow-file.ts'

const run = promisify(execFile)
const writerScript = new URL('./testing/log-writer.ts', import.meta.url).pathname
const dir = mkdtempSync(join(tmpdir(), 'faultline-follow-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let files = 0

interface Followed {
  lines: FollowedLine[]
  changes: FollowChange[]
}

/**
 * Follows a fresh file while a separate writer process runs `steps` on it, until the line with
 * the writer's last sequence number has been seen (or the time runs out).
 */
async function followWhileWriting(steps: unknown[], options: { from?: 'start' | 'end'; existing?: string } = {}): Promise<Followed & { last: number }> {
  const path = join(dir, `app-${++files}.log`)
  writeFileSync(path, options.existing ?? '')
  const changes: FollowChange[] = []
  const follower = followFile(path, { from: options.from, pollMs: 50, onChange: (c) => changes.push(c) })
  const lines: FollowedLine[] = []
  let last = Number.POSITIVE_INFINITY
  const seen = (): number => {
    const m = /seq=(\d+)/.exec(lines.at(-1)?.text ?? '')
    return m ? Number(m[1]) : 0
  }
  const consume = (async () => {
    for await (const batch of follower.batches()) {
      lines.push(...batch)
      if (seen() >= last) follower.close()
    }
  })()
  const { stdout } = await run(process.execPath, [writerScript, path, JSON.stringify(steps)])
  last = Number(/done (\d+)/.exec(stdout)?.[1])
  const deadline = setTimeout(() => follower.close(), 8_000)
  if (seen() >= last) follower.close()
  await consume
  clearTimeout(deadline)
  return { lines, changes, last }
}

/** Every sequence number from 1 to `last` exactly once, in order, and line numbers 1, 2, …. */
function expectEveryLineOnce(result: { lines: FollowedLine[]; last: number }): void {
  const seqs = result.lines.map((l) => Number(/seq=(\d+)/.exec(l.text)?.[1]))
  expect(seqs).toEqual(Array.from({ length: result.last }, (_, i) => i + 1))
  expect(result.lines.map((l) => l.lineNo)).toEqual(Array.from({ length: result.lines.length }, (_, i) => i + 1))
  for (const l of result.lines) expect(l.text).toMatch(/^2026-11-25T10:00:00\.000Z INFO worker: seq=(\d+) processed item \d+ in \d+ ms$/)
}

describe('followFile with a separate writer process', () => {
  it('reads a steady append exactly once, with byte offsets', async () => {
    const result = await followWhileWriting([{ append: 3000, per: 50, every: 5 }])
    expectEveryLineOnce(result)
    let offset = 0
    for (const l of result.lines) {
      expect(l.offset).toBe(offset)
      offset += l.byteLength + 1
    }
  })

  it('holds a line written in two chunks until its end arrives, and strips CRLF', async () => {
    const result = await followWhileWriting([{ append: 5 }, { split: true }, { crlf: true }, { append: 5 }, { split: true }])
    expectEveryLineOnce(result)
    expect(result.lines[5]?.offset).toBe((result.lines[4]?.offset ?? 0) + (result.lines[4]?.byteLength ?? 0) + 1)
  })

  it('drains the renamed file (including lines written after the rename) before the new one', async () => {
    const result = await followWhileWriting([{ append: 500, per: 25, every: 5 }, { rotate: 'rename' }, { append: 500, per: 25, every: 5 }])
    expectEveryLineOnce(result)
    // The path may be seen missing between the rename and the reopen.
    expect(result.changes.map((c) => c.kind).filter((k) => k !== 'missing')).toEqual(['rotated'])
    const firstNew = result.lines.find((l) => l.generation === 1)
    // 500 lines plus the 20 the writer wrote to the renamed file before reopening.
    expect(firstNew).toMatchObject({ lineNo: 521, offset: 0 })
  })

  it('emits the unterminated last line of a rotated file as a line of its own', async () => {
    const unterminated = '2026-11-25T10:00:00.000Z INFO worker: seq=6 processed item 42 in 6 ms'
    const result = await followWhileWriting([{ append: 5 }, { raw: unterminated, lines: 1 }, { rotate: 'rename', late: 0 }, { append: 5 }])
    expectEveryLineOnce(result)
    expect(result.lines[5]).toMatchObject({ text: unterminated, generation: 0 })
    expect(result.lines[6]).toMatchObject({ generation: 1, offset: 0 })
  })

  it('restarts at byte 0 after a copytruncate, recovering what only the copy holds', async () => {
    // The burst right before the truncation is often not read yet: it then comes from the copy
    // (whether it did is up to timing; the next test makes sure it does).
    const result = await followWhileWriting([{ append: 300, per: 20, every: 5 }, { append: 2000 }, { rotate: 'copytruncate' }, { append: 300, per: 20, every: 5 }])
    expectEveryLineOnce(result)
    expect(result.changes.map((c) => c.kind)).toEqual(['truncated'])
    expect(result.lines.find((l) => /seq=2301 /.test(l.text))?.offset).toBe(0)
  })

  it('goes on from byte 0 of a file deleted and created again', async () => {
    const result = await followWhileWriting([{ append: 400, per: 20, every: 5 }, { rotate: 'delete' }, { append: 400, per: 20, every: 5 }])
    expectEveryLineOnce(result)
    expect(result.changes.map((c) => c.kind)).toContain('rotated')
    expect(result.lines.find((l) => l.generation === 1)).toMatchObject({ lineNo: 406, offset: 0 })
  })

  it('starts after the last complete line the file already holds, or at its start', async () => {
    const begun = '2026-11-25T10:00:00.000Z INFO worker: seq=1 processed item 7 in '
    // The line being written when the follow starts is read whole once the writer ends it.
    const tail = await followWhileWriting([{ raw: '1 ms\n', lines: 1 }, { append: 3 }], { existing: `old line 1\nold line 2\n${begun}` })
    expectEveryLineOnce(tail)
    expect(tail.lines[0]?.offset).toBe(22)
    const whole = await followWhileWriting([{ append: 3 }], { existing: 'old line 1\nold line 2\n', from: 'start' })
    expect(whole.lines.map((l) => l.text.slice(0, 10))).toEqual(['old line 1', 'old line 2', ...Array<string>(3).fill('2026-11-25')])
  })

  it('recovers from the copy the lines written between its last read and a copytruncate', async () => {
    const path = join(dir, 'copytruncate.log')
    writeFileSync(path, '')
    const changes: FollowChange[] = []
    const follower = followFile(path, { from: 'start', pollMs: 20, onChange: (c) => changes.push(c) })
    const iterator = follower.batches()[Symbol.asyncIterator]()
    const texts: string[] = []
    const readUntil = async (count: number): Promise<void> => {
      while (texts.length < count) {
        const next = await iterator.next()
        if (next.done === true) throw new Error('follow ended early')
        texts.push(...next.value.map((l) => l.text))
      }
    }
    appendFileSync(path, 'a1\na2\n')
    await readUntil(2)
    // Synchronously, so the follower cannot look in between: more lines, a copy, a truncation
    // and the start of the new content, longer than the old one.
    // A line pending at the truncation is continued by what the writer puts at byte 0.
    appendFileSync(path, 'a3 only in the copy\na4 begun before, ')
    copyFileSync(path, `${path}.1`)
    truncateSync(path, 0)
    appendFileSync(path, 'ended after the truncation\nb1 after the truncation, longer than everything before it\n')
    await readUntil(5)
    follower.close()
    await iterator.return(undefined)
    expect(texts).toEqual(['a1', 'a2', 'a3 only in the copy', 'a4 begun before, ended after the truncation', 'b1 after the truncation, longer than everything before it'])
    expect(changes).toEqual([{ kind: 'truncated', nextLine: 4, recoveredFrom: `${path}.1` }])
  })

  it('decodes like the reader: invalid UTF-8 as U+FFFD, and UTF-16 by the BOM even when starting mid-file', async () => {
    const follow = async (name: string, initial: Buffer, appended: Buffer, count: number): Promise<FollowedLine[]> => {
      const path = join(dir, name)
      writeFileSync(path, initial)
      const follower = followFile(path, { pollMs: 20 })
      await follower.start()
      appendFileSync(path, appended)
      const lines: FollowedLine[] = []
      for await (const batch of follower.batches()) {
        lines.push(...batch)
        if (lines.length >= count) follower.close()
      }
      return lines
    }
    const bad = await follow('bad-utf8.log', Buffer.from('old\n'), Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xc3, 0xa9, 0x0a]), 2)
    expect(bad.map((l) => [l.text, l.offset])).toEqual([
      ['a\uFFFDb', 4],
      ['é', 8]
    ])
    const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le')
    const wide = await follow('utf16.log', Buffer.concat([Buffer.from([0xff, 0xfe]), utf16('old line\r\n')]), utf16('héllo\r\nwörld\n'), 2)
    expect(wide.map((l) => [l.text, l.offset])).toEqual([
      ['héllo', 22],
      ['wörld', 36]
    ])
  })
})
