/**
 * The viewer's queries over a case, timed: shared by `bench.ts` (after a real ingest) and
 * `bench-case.ts` (after synthetic writes). Each runs up to 25 times from random positions.
 */
import type { CaseStore } from '../src/core/case/case-store.ts'
import { filterLines } from '../src/core/case/filter-lines.ts'
import type { FilterContext } from '../src/core/case/filter-lines.ts'
import type { LineIndex } from '../src/core/case/line-index.ts'
import { timeBuckets, timeRange } from '../src/core/case/time-buckets.ts'

export interface QueryTiming {
  name: string
  medianMs: number
  p99Ms: number
}

export function viewerQueries(store: CaseStore, sourceId: number, index: LineIndex): [string, () => unknown][] {
  const total = index.length
  const range = timeRange(index) ?? { min: 0, max: 1 }
  const context: FilterContext = { ...store.filterContext(sourceId), index }
  // The most frequent template that is not the most frequent one: a realistic "show me these".
  const template = store.templates()[1]?.id ?? 0
  const random = (): number => 1 + Math.floor(Math.random() * total)
  return [
    ['window of 200 lines at a random line', () => store.lines(sourceId, random(), 200)],
    ['next anomaly from a random line', () => store.nextAnomaly(sourceId, random(), 'next')],
    ['previous anomaly from a random line', () => store.nextAnomaly(sourceId, random(), 'previous')],
    ['filter: levels warn+error', () => filterLines({ levels: [5, 6, 7] }, context)],
    ['filter: score >= 0.5 with ±3 context', () => filterLines({ minScore: 0.5, context: 3 }, context)],
    ['filter: one template', () => filterLines({ templates: [template] }, context)],
    ['filter: time range (10%)', () => filterLines({ fromTs: range.min, toTs: range.min + (range.max - range.min) / 10 }, context)],
    ['filter: error lines containing "timed out"', () => filterLines({ levels: [6, 7], text: 'timed out' }, context)],
    ['filter: text "timed out", all lines', () => filterLines({ text: 'timed out' }, context)],
    ['filter: regex /order \\d+ failed/ with ±3 context', () => filterLines({ text: 'order \\d+ failed', regex: true, context: 3 }, context)],
    ['counts per time bucket (400 buckets)', () => timeBuckets(index, range.min, range.max, 400, 0.5)],
    ['template table', () => store.templates()]
  ]
}

/** Up to `runs` runs of each query, fewer (at least 3) for a query that takes seconds. */
export function timeQueries(queries: [string, () => unknown][], runs = 25, budgetMs = 3_000): QueryTiming[] {
  return queries.map(([name, run]) => {
    const times: number[] = []
    let spent = 0
    while (times.length < runs && (times.length < 3 || spent < budgetMs)) {
      const start = performance.now()
      run()
      const took = performance.now() - start
      times.push(took)
      spent += took
    }
    times.sort((a, b) => a - b)
    const n = times.length
    return { name, medianMs: times[Math.floor(n / 2)] as number, p99Ms: times[Math.min(n - 1, Math.floor(n * 0.99))] as number }
  })
}

export function printTimings(timings: readonly QueryTiming[]): void {
  for (const t of timings) console.log(`  ${t.name.padEnd(44)} median ${t.medianMs.toFixed(2).padStart(7)} ms   p99 ${t.p99Ms.toFixed(2).padStart(7)} ms`)
}
