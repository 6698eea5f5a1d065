import { describe, expect, it } from 'vitest'
import { startEarlyThreads, takeEarlyThreads } from './early-threads.ts'

describe('early ingest threads', () => {
  it('start only for a command that ingests, and go to the first that takes them', async () => {
    startEarlyThreads(['node', 'faultline', 'parse', 'app.log'])
    expect(await takeEarlyThreads()).toBeUndefined()
    startEarlyThreads(['node', 'faultline', 'open', 'app.log'])
    const threads = await takeEarlyThreads()
    expect(threads?.usable).toBe(true)
    expect(await takeEarlyThreads()).toBeUndefined()
    threads?.dispose()
  })
})
