import { Worker } from 'node:worker_threads'
import { describe, expect, it } from 'vitest'
import { StopFlag, retire, stopFlagOf } from './worker-stop.ts'

/** A thread that spins until its flag is raised, then exits. */
function spinUntilStopped(stop: StopFlag): Worker {
  const code = `
    const { workerData } = require('node:worker_threads')
    const cell = new Int32Array(workerData)
    while (Atomics.load(cell, 0) === 0) {}
  `
  return new Worker(code, { eval: true, workerData: stop.buffer })
}

describe('stopping worker threads', () => {
  it('a raised flag is seen by the thread it was handed to, which then exits by itself', async () => {
    const stop = new StopFlag()
    const worker = spinUntilStopped(stop)
    const retired = retire(worker, 30_000)
    expect(stop.aborted).toBe(false)
    stop.raise()
    expect(stop.aborted).toBe(true)
    expect(await retired).toBe('exited')
  })

  it('terminates a thread that has not exited after the grace period', async () => {
    const worker = spinUntilStopped(new StopFlag())
    expect(await retire(worker, 50)).toBe('terminated')
    expect(worker.threadId).toBe(-1)
  })

  it('a thread that has already exited is retired at once', async () => {
    const worker = new Worker('0', { eval: true })
    await new Promise((resolve) => worker.once('exit', resolve))
    expect(await retire(worker, 30_000)).toBe('exited')
  })

  it('a thread given no flag is never asked to stop', () => {
    expect(stopFlagOf(undefined).aborted).toBe(false)
    const stop = new StopFlag()
    stop.raise()
    expect(stopFlagOf(stop.buffer).aborted).toBe(true)
  })
})
