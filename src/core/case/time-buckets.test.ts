import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LineIndex } from './line-index.ts'
import { timeBuckets } from './time-buckets.ts'

describe('time buckets', () => {
  it('count exactly what a line-by-line count does, a flagged record once however many lines it spans', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ts: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }), score: fc.constantFrom(0, 0.3, 0.6, 0.9), continuation: fc.boolean() }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(0.5, 0.8),
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 50, max: 100 }),
        (lines, buckets, threshold, from, to) => {
          // Sorted timestamps as in a log, NaN for lines without one (continuations).
          let t = 0
          const ts = Float64Array.from(lines, (l) => (l.ts === undefined ? Number.NaN : (t += l.ts % 7)))
          const index = LineIndex.fromColumns(
            { ts, templates: new Int32Array(lines.length), sessions: new Int32Array(lines.length).fill(-1), levels: new Uint8Array(lines.length), flags: Uint8Array.from(lines, (l) => (l.continuation ? 1 : 0)), scores: Float32Array.from(lines, (l) => l.score) },
            4
          )
          const naive = (): { lines: number[]; anomalies: number[] } => {
            const span = Math.max(1, to - from)
            const width = span / buckets
            const counts = { lines: new Array<number>(buckets).fill(0), anomalies: new Array<number>(buckets).fill(0) }
            ts.forEach((time, i) => {
              if (!(time >= from && time <= to)) return
              const k = Math.min(buckets - 1, Math.floor((time - from) / width))
              counts.lines[k] = (counts.lines[k] as number) + 1
              if ((index.scores[i] as number) >= threshold && !lines[i]?.continuation) counts.anomalies[k] = (counts.anomalies[k] as number) + 1
            })
            return counts
          }
          const check = (): void => {
            const got = timeBuckets(index, from, to, buckets, threshold)
            expect({ lines: Array.from(got.lines), anomalies: Array.from(got.anomalies) }).toEqual(naive())
          }
          check()
          check() // from the cached per-block counts
        }
      ),
      { numRuns: 300 }
    )
  })
})
