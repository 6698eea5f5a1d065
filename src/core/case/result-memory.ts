/**
 * Memory for filter results, used again once their keeper lets them go. At 10M lines a result is
 * a few MB (a bitmap, runs with context); allocated fresh each query it came from pages the
 * allocator had handed back to the kernel after the GC freed earlier results, and a fresh page
 * costs about 10 µs on the virtual machines measured here: 700 faults made a 6 ms query 13 ms,
 * in bursts. Whoever keeps results (the workspace's filter cache, kept-filters.ts) gives each
 * one's memory back when it drops it, and the next result is written there.
 *
 * Only arrays taken here and not yet given back are ever reused: giving anything else (an
 * index's list, a view of a scratch buffer) or giving twice does nothing.
 */

/** Below this many values a result is left to the allocator (its small bins stay resident). */
let minPooled = 1 << 14
/** Capacities rise in these steps so one query's buffers fit the next one's slightly larger result. */
const step = 1 << 16
/** At most this many bytes wait here to be used again; beyond, the oldest go to the GC. */
const maxIdleBytes = 64 << 20

const idle: Int32Array<ArrayBuffer>[] = []
let idleBytes = 0
/** Buffers handed out and not given back. */
const lent = new WeakSet<ArrayBuffer>()

/**
 * An array of `length` values for a result: a view of memory given back earlier when some fits,
 * else new. Zeroed when `zeroed` (a bitmap); otherwise its values are whatever was there.
 */
export function takeInts(length: number, zeroed = false): Int32Array {
  if (length < minPooled) return new Int32Array(length)
  // The smallest idle buffer that holds it (however much bigger: idle memory is there to be
  // used, fresh memory is what costs); of equals, the last given back (likeliest still cached).
  let best = -1
  for (let i = idle.length - 1; i >= 0; i--) {
    const size = (idle[i] as Int32Array).length
    if (size >= length && (best < 0 || size < (idle[best] as Int32Array).length)) best = i
  }
  if (best < 0) {
    const fresh = new Int32Array(Math.ceil(length / step) * step)
    lent.add(fresh.buffer)
    return fresh.subarray(0, length)
  }
  const buffer = idle.splice(best, 1)[0] as Int32Array<ArrayBuffer>
  idleBytes -= buffer.byteLength
  lent.add(buffer.buffer)
  const view = buffer.subarray(0, length)
  if (zeroed) view.fill(0)
  return view
}

/** The first `count` values of `values`, copied into memory for a result. */
export function copyInts(values: Int32Array, count: number): Int32Array {
  const copy = takeInts(count)
  copy.set(values.subarray(0, count))
  return copy
}

/** Gives back the memory behind `array` (taken by `takeInts`): nothing may use it after. */
export function giveInts(array: Int32Array): void {
  const buffer = array.buffer
  if (!(buffer instanceof ArrayBuffer) || !lent.has(buffer)) return
  lent.delete(buffer)
  idle.push(new Int32Array(buffer))
  idleBytes += buffer.byteLength
  while (idleBytes > maxIdleBytes) idleBytes -= (idle.shift() as Int32Array).byteLength
}

/** Pools results from `values` values on (tests use small ones to reuse memory at small sizes); returns the previous. */
export function poolResultsFrom(values: number): number {
  const previous = minPooled
  minPooled = values
  return previous
}
