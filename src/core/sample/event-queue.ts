/** A binary min-heap of timed log events, so concurrent requests interleave as in a real log. */
export interface TimedEvent {
  at: number
  /** Tie-breaker that keeps equal-time events in creation order (deterministic output). */
  seq: number
  render: () => string
  injected: boolean
}

export class EventQueue {
  readonly #heap: TimedEvent[] = []

  get size(): number {
    return this.#heap.length
  }

  peekTime(): number {
    return this.#heap[0]?.at ?? Number.POSITIVE_INFINITY
  }

  push(event: TimedEvent): void {
    const heap = this.#heap
    heap.push(event)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(event, heap[parent] as TimedEvent)) break
      heap[i] = heap[parent] as TimedEvent
      i = parent
    }
    heap[i] = event
  }

  pop(): TimedEvent | undefined {
    const heap = this.#heap
    const top = heap[0]
    const last = heap.pop()
    if (top === undefined || last === undefined || heap.length === 0) return top
    let i = 0
    for (;;) {
      const left = 2 * i + 1
      if (left >= heap.length) break
      const right = left + 1
      const child = right < heap.length && before(heap[right] as TimedEvent, heap[left] as TimedEvent) ? right : left
      if (!before(heap[child] as TimedEvent, last)) break
      heap[i] = heap[child] as TimedEvent
      i = child
    }
    heap[i] = last
    return top
  }
}

function before(a: TimedEvent, b: TimedEvent): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq)
}
