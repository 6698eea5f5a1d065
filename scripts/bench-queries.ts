/**
 * The viewer's queries over a case, timed: shared by `bench.ts` (after a real ingest) and
 * `bench-case.ts` (after synthetic writes). Each runs up to 25 times from random positions
 * (at least 3, fewer than 25 once a query has taken 3 s); printed as median and p99.
 */
import { statSync } from 'node:fs'
import type { CaseStore } from '../src/core/case/case-store.ts'
import { filterLines, filterLinesAsync } from '../src/core/case/filter-lines.ts'
import type { FilterContext } from '../src/core/case/filter-lines.ts'
import type { LineIndex } from '../src/core/case/line-index.ts'
import { buildLineShapes } from '../src/core/case/shapes/build-shapes.ts'
import { buildTextIndex } from '../src/core/case/text-index.ts'
import { timeBuckets, timeRange } from '../src/core/case/time-buckets.ts'
import type { LineFilter } from '../src/shared/case/line-filter.ts'
import { KeptFilters } from '../src/core/workspace/kept-filters.ts'

export interface QueryTiming {
  name: string
  /** The first run, apart: it also pays for compiling the query's code. */
  firstMs: number
  medianMs: number
  p99Ms: number
  /**
   * Page faults per run after the first (median and most). On the virtual machines measured here,
   * fresh memory costs about 10 µs a page, so a run with a few hundred faults was slow for that;
   * a slow run with none, for another reason (a GC pause, say).
   */
  faultsMedian: number
  faultsMax: number
}

/**
 * The viewer's queries on one source. Builds what the case builds in the background first (the
 * text index, on this thread here so its time is measured) and prints its cost: build time, size
 * in the case and in memory, and the posting lists' first-use build.
 */
export function viewerQueries(store: CaseStore, sourceId: number, index: LineIndex): [string, () => unknown][] {
  const total = index.length
  const range = timeRange(index) ?? { min: 0, max: 1 }
  const sourceBytes = store.source(sourceId)?.size ?? 0
  const caseBytes = (): number => statSync(store.path).size + (statSync(`${store.path}-wal`, { throwIfNoEntry: false })?.size ?? 0)

  const before = caseBytes()
  const rate = (ms: number): string => `${(ms / 1e3).toFixed(1)} s (${Math.round((total / ms) * 1e3).toLocaleString('en-US')} lines/s)`
  let start = performance.now()
  const built = buildTextIndex(store.db, sourceId)
  const gramsMs = performance.now() - start
  start = performance.now()
  buildLineShapes(store.db, sourceId)
  const shapesMs = performance.now() - start
  const status = store.textIndexStatus(sourceId)
  store.db.pragma('wal_checkpoint(TRUNCATE)')
  const after = caseBytes()
  const textIndex = store.textIndex(sourceId)
  console.log(
    `text index of ${built.blocksIndexed.toLocaleString('en-US')} blocks, each part timed alone on one thread (the app builds them side by side, a worker each): ` +
      `trigram bitmaps ${rate(gramsMs)}, line shapes ${rate(shapesMs)}; ${textIndex.shapes.toLocaleString('en-US')} shapes, ${textIndex.variants.toLocaleString('en-US')} variants; ` +
      `${mb(status.bytes)} in the case, ${mb(textIndex.bytes)} in memory; case ${mb(before)} → ${mb(after)}` +
      (sourceBytes > 0 ? ` = ${(after / sourceBytes).toFixed(2)}× the source` : '')
  )

  // What the app builds between requests once a source is complete (see Workspace.#warm).
  const steps: number[] = []
  const warming = store.warming(sourceId)
  for (let done = false; !done; ) {
    const stepStart = performance.now()
    done = warming.next().done === true
    steps.push(performance.now() - stepStart)
  }
  console.log(
    `line index in memory: ${mb(total * 30)} (30 B/line); what the app builds in the background once a source is complete (posting lists, the text index's lists by variant): ` +
      `${steps.reduce((a, b) => a + b, 0).toFixed(0)} ms in ${steps.length} steps, the longest ${Math.max(...steps).toFixed(0)} ms; posting lists with the score levels ${mb(index.postingsBytes)}`
  )

  const context: FilterContext = { ...store.filterContext(sourceId), index }
  // The same, as before the text index is built: text filters scan every block.
  const scanning: FilterContext = { ...context, textIndex: undefined }
  // The most frequent template that is not the most frequent one: a realistic "show me these".
  const template = store.templates()[1]?.id ?? 0
  const random = (): number => 1 + Math.floor(Math.random() * total)
  // A request's trace id, as someone would paste it: a rare string.
  const trace = findText(store, sourceId, total, /trace=([0-9a-f]{8,})/) ?? 'no-such-trace'
  // Each result kept as the workspace keeps it for the viewer to page: the latest few, the oldest
  // dropped and its memory used again (result-memory.ts).
  const kept = new KeptFilters()
  let filters = 0
  const filter = (lineFilter: LineFilter, over = context) => () => kept.keep(`f${filters++}`, { sourceId, lines: filterLines(lineFilter, over) })
  return [
    ['window of 200 lines at a random line', () => store.lines(sourceId, random(), 200)],
    ['next anomaly from a random line', () => store.nextAnomaly(sourceId, random(), 'next')],
    ['previous anomaly from a random line', () => store.nextAnomaly(sourceId, random(), 'previous')],
    ['filter: levels warn+error', filter({ levels: [5, 6, 7] })],
    ['filter: score >= 0.5 with ±3 context', filter({ minScore: 0.5, context: 3 })],
    ['filter: one template', filter({ templates: [template] })],
    ['filter: one template + levels warn+error', filter({ templates: [template], levels: [5, 6, 7] })],
    ['filter: time range (10%)', filter({ fromTs: range.min, toTs: range.min + (range.max - range.min) / 10 })],
    ['filter: error lines containing "timed out"', filter({ levels: [6, 7], text: 'timed out' })],
    ['  the same, scanning (no text index yet)', filter({ levels: [6, 7], text: 'timed out' }, scanning)],
    ['filter: text "timed out", all lines', filter({ text: 'timed out' })],
    ['  the same, scanning (no text index yet)', filter({ text: 'timed out' }, scanning)],
    ['filter: text "timeout" (also inside variable tokens)', filter({ text: 'timeout' })],
    ['filter: text "Connection is not available"', filter({ text: 'Connection is not available' })],
    [`filter: text "${trace}" (a trace id)`, filter({ text: trace })],
    ['  the same, scanning (no text index yet)', filter({ text: trace }, scanning)],
    ['filter: regex /order \\d+ failed/ with ±3 context', filter({ text: 'order \\d+ failed', regex: true, context: 3 })],
    ['  the same, scanning (no text index yet)', filter({ text: 'order \\d+ failed', regex: true, context: 3 }, scanning)],
    [`filter: regex /${trace.slice(0, 6)}.*${trace.slice(-4)}/`, filter({ text: `${trace.slice(0, 6)}.*${trace.slice(-4)}`, regex: true })],
    ['filter: regex /^\\S+ (WARN|ERROR)/ (no literal)', filter({ text: '^\\S+ (WARN|ERROR)', regex: true })],
    ['counts per time bucket (400 buckets)', () => timeBuckets(index, range.min, range.max, 400, 0.5)],
    ['template table', () => store.templates()]
  ]
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(bytes < 1e7 ? 1 : 0)} MB`
}

/** The first capture of `pattern` in a line near the middle of the source. */
function findText(store: CaseStore, sourceId: number, total: number, pattern: RegExp): string | undefined {
  for (const line of store.lines(sourceId, Math.max(1, Math.floor(total / 2)), 500)) {
    const found = pattern.exec(line.text)?.[1]
    if (found) return found
  }
  return undefined
}

/**
 * Each query once on its own (the first call also compiles its code: what a viewer's first use
 * of a filter waits), then up to `runs` more (fewer, at least 3, for a query that takes seconds)
 * for the median and p99.
 */
export function timeQueries(queries: [string, () => unknown][], runs = 25, budgetMs = 3_000): QueryTiming[] {
  return queries.map(([name, run]) => {
    const faults: number[] = []
    const time = (): number => {
      const faultsBefore = process.resourceUsage().minorPageFault
      const start = performance.now()
      run()
      const took = performance.now() - start
      faults.push(process.resourceUsage().minorPageFault - faultsBefore)
      return took
    }
    const firstMs = time()
    const times: number[] = []
    let spent = 0
    while (times.length < runs && (times.length < 3 || spent < budgetMs)) {
      const took = time()
      times.push(took)
      spent += took
    }
    times.sort((a, b) => a - b)
    const n = times.length
    const after = faults.slice(1).sort((a, b) => a - b)
    return {
      name,
      firstMs,
      medianMs: times[Math.floor(n / 2)] as number,
      p99Ms: times[Math.min(n - 1, Math.floor(n * 0.99))] as number,
      faultsMedian: after[Math.floor(after.length / 2)] as number,
      faultsMax: after.at(-1) as number
    }
  })
}

export function printTimings(timings: readonly QueryTiming[]): void {
  for (const t of timings) {
    console.log(
      `  ${t.name.padEnd(52)} median ${t.medianMs.toFixed(2).padStart(7)} ms   p99 ${t.p99Ms.toFixed(2).padStart(7)} ms   first ${t.firstMs.toFixed(2).padStart(7)} ms   page faults ${String(t.faultsMedian).padStart(5)} (most ${t.faultsMax})`
    )
  }
}

/**
 * How long the viewer's requests wait while a long text search runs on the engine's thread (it
 * gives the thread back every 10 ms): a window of lines is asked for again and again until the
 * search (a regex with no literal: every block read) has answered.
 */
export async function searchResponsiveness(store: CaseStore, sourceId: number, total: number): Promise<void> {
  const filter = { text: '^\\S+ (WARN|ERROR)', regex: true }
  let answered = false
  const started = performance.now()
  const search = filterLinesAsync(filter, store.filterContext(sourceId)).finally(() => (answered = true))
  const waits: number[] = []
  while (!answered) {
    const asked = performance.now()
    // A request arriving now is served when the thread is next free.
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    store.lines(sourceId, 1 + Math.floor(Math.random() * Math.max(1, total - 200)), 200)
    waits.push(performance.now() - asked)
  }
  const found = await search
  const searchMs = performance.now() - started
  waits.sort((a, b) => a - b)
  const at = (p: number): number => waits[Math.min(waits.length - 1, Math.floor(p * waits.length))] ?? 0
  console.log(
    `  during a regex search (${searchMs.toFixed(0)} ms, ${found.length.toLocaleString('en-US')} lines): ${waits.length} windows of 200 lines served, wait median ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, max ${(waits.at(-1) ?? 0).toFixed(1)} ms`
  )
}
