import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { threadExits } from '../testing/thread-exits.ts'
import { defaultCommitWorker, defaultIngestWorker, defaultReaderWorker } from './start-ingest.ts'
import { writeSampleLog } from './testing/sample-log.ts'
import { IngestThreadsAhead } from './threads-ahead.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-ahead-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const log = join(dir, 'app.log')
beforeAll(() => writeSampleLog(log, { lines: 5_000, seed: 7 }))

async function until(what: () => boolean): Promise<void> {
  for (let waited = 0; !what(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('ingest threads started ahead', () => {
  it('has a set ready once nothing ran for a moment, runs the next ingest on it, then readies another', async () => {
    const exits = threadExits()
    const ahead = new IngestThreadsAhead(
      {
        readerThread: true,
        commitThread: true,
        createWorker: exits.track(defaultIngestWorker),
        createCommitWorker: exits.track(defaultCommitWorker),
        createReaderWorker: exits.track(defaultReaderWorker)
      },
      20
    )
    await until(() => ahead.ready)
    const job = ahead.start({ casePath: join(dir, 'a.faultline'), sourcePath: log })
    // Not while an ingest runs: a set booting then would take the cores from it.
    expect(ahead.ready).toBe(false)
    expect(await job.done).toMatchObject({ state: 'complete', lines: 5_000 })
    await until(() => ahead.ready)
    expect(await ahead.start({ casePath: join(dir, 'b.faultline'), sourcePath: log }).done).toMatchObject({ state: 'complete', lines: 5_000 })
    await until(() => ahead.ready)
    ahead.close()
    expect(ahead.ready).toBe(false)
    // Two ingests and the set let go unused: nine threads, each ended by itself.
    expect(await exits.ends()).toEqual(Array(9).fill('exited'))
  })

  it('starts the first set at once when asked (an app), the later ones after a quiet moment', async () => {
    const exits = threadExits()
    const threads = { readerThread: true, commitThread: true, createWorker: exits.track(defaultIngestWorker), createCommitWorker: exits.track(defaultCommitWorker), createReaderWorker: exits.track(defaultReaderWorker) }
    const slow = new IngestThreadsAhead(threads, 60_000)
    const app = new IngestThreadsAhead(threads, 60_000, 0)
    await until(() => app.ready)
    expect(slow.ready).toBe(false)
    app.close()
    slow.close()
    expect(await exits.ends()).toEqual(Array(3).fill('exited'))
  })
})
