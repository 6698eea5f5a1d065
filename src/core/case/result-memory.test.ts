import { describe, expect, it } from 'vitest'
import { giveInts, takeInts } from './result-memory.ts'

const big = 100_000

/** Whether two arrays are views of one buffer (compared by identity, not by value). */
function sameMemory(a: Int32Array, b: Int32Array): boolean {
  return a.buffer === b.buffer
}

describe('result memory', () => {
  it('hands a result the memory an earlier one gave back, zeroed when asked', () => {
    const first = takeInts(big)
    first.fill(7)
    giveInts(first)
    const second = takeInts(big - 10, true)
    expect(sameMemory(second, first)).toBe(true)
    expect(second.length).toBe(big - 10)
    expect(second.every((v) => v === 0)).toBe(true)
    giveInts(second)
  })

  it('never hands one buffer to two holders, however often it was given back', () => {
    const taken = takeInts(big)
    giveInts(taken)
    giveInts(taken)
    const a = takeInts(big)
    const b = takeInts(big)
    expect(sameMemory(a, b)).toBe(false)
    giveInts(a)
    giveInts(b)
  })

  it('ignores memory it did not hand out, and leaves small results to the allocator', () => {
    const foreign = new Int32Array(big)
    giveInts(foreign)
    expect(sameMemory(takeInts(big), foreign)).toBe(false)
    const small = takeInts(100)
    giveInts(small)
    expect(sameMemory(takeInts(100), small)).toBe(false)
  })

  it('takes the smallest idle buffer that holds the result', () => {
    // Bigger than any buffer given back above.
    const large = takeInts(big * 40)
    const medium = takeInts(big * 20)
    giveInts(medium)
    giveInts(large)
    expect(sameMemory(takeInts(big * 10), medium)).toBe(true)
    expect(sameMemory(takeInts(big * 10), large)).toBe(true)
  })
})
