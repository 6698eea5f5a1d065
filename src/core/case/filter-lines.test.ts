import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { filterLines, filterLinesAsync } from './filter-lines.ts'
import type { FilterContext, TextRun } from './filter-lines.ts'
import { LineIndex } from './line-index.ts'
import { poolResultsFrom } from './result-memory.ts'
import { KeptFilters } from '../workspace/kept-filters.ts'
import { timeBuckets, timeRange } from './time-buckets.ts'

/** Ten lines: ts = n s, level info except 4 (warn) and 7 (error), template n % 3, scores n / 10. */
function sample(): { index: LineIndex; texts: string[] } {
  const n = 10
  // Blocks of 3 lines, so block skipping and per-line checks both get exercised.
  const index = LineIndex.fromColumns(
    {
      ts: Float64Array.from({ length: n }, (_, i) => (i + 1) * 1_000),
      templates: Int32Array.from({ length: n }, (_, i) => (i + 1) % 3),
      sessions: Int32Array.from({ length: n }, (_, i) => (i < 5 ? 1 : 2)),
      levels: Uint8Array.from({ length: n }, (_, i) => (i + 1 === 4 ? 5 : i + 1 === 7 ? 6 : 3)),
      flags: new Uint8Array(n),
      scores: Float32Array.from({ length: n }, (_, i) => (i + 1) / 10)
    },
    3
  )
  const texts = Array.from({ length: n }, (_, i) => `request ${i + 1} ${i % 2 ? 'GET /a' : 'POST /b'}`)
  return { index, texts }
}

/** Whole-block text access over `texts`, in blocks of `size` lines (3, as in the sample's index). */
function blocksOf(texts: string[], size = 3): (from: number, to: number) => Iterable<TextRun> {
  return function* (from, to) {
    for (let first = Math.floor((from - 1) / size) * size + 1; first <= to; first += size) {
      const lines = texts.slice(first - 1, first - 1 + size)
      const text = lines.join('\n')
      if (lines.length > 0) yield { firstLine: first, lineCount: lines.length, text, ascii: /^\p{ASCII}*$/u.test(text) }
    }
  }
}

/** Runs the filter with line-by-line text access and with whole blocks; both must agree. */
function run(filter: Parameters<typeof filterLines>[0], texts = sample().texts): number[] {
  const { index } = sample()
  const canonical = (t: number): number => (t === 2 ? 1 : t) // template 2 was merged into 1
  const byLine = Array.from(
    filterLines(filter, {
      index,
      canonical,
      texts: function* (from, to) {
        for (let lineNo = from; lineNo <= to; lineNo++) yield { lineNo, text: texts[lineNo - 1] ?? '' }
      }
    })
  )
  // Blocks of 3 lines, as in the index.
  const byBlock = Array.from(
    filterLines(filter, {
      index,
      canonical,
      blockTexts: blocksOf(texts)
    })
  )
  expect(byBlock).toEqual(byLine)
  return byLine
}

describe('line filters', () => {
  it('keeps every line for an empty filter', () => {
    expect(run({})).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('filters by minimum score, levels, sessions and time range, all together', () => {
    expect(run({ minScore: 0.75 })).toEqual([8, 9, 10])
    expect(run({ levels: [5, 6] })).toEqual([4, 7])
    expect(run({ sessions: [2], levels: [6] })).toEqual([7])
    expect(run({ fromTs: 3_000, toTs: 5_000 })).toEqual([3, 4, 5])
  })

  it('filters by canonical template, following merges', () => {
    expect(run({ templates: [1] })).toEqual([1, 2, 4, 5, 7, 8, 10])
    expect(run({ templates: [0] })).toEqual([3, 6, 9])
  })

  it('matches text case-insensitively by default, and regular expressions on request', () => {
    expect(run({ text: 'get /a' })).toEqual([2, 4, 6, 8, 10])
    expect(run({ text: 'get /a', caseSensitive: true })).toEqual([])
    expect(run({ text: '^request (1|10) ', regex: true })).toEqual([1, 10])
    expect(() => run({ text: '(', regex: true })).toThrow(/Invalid regular expression/)
  })

  it('searches whole blocks with the same answers as line by line', () => {
    const texts = ['alpha beta', 'Beta', 'gamma', 'ÄBC äbc', 'x', 'beta\tbeta', 'İstanbul', 'end b', 'eta', '']
    expect(run({ text: 'beta' }, texts)).toEqual([1, 2, 6])
    expect(run({ text: 'äbc' }, texts)).toEqual([4])
    expect(run({ text: 'i̇stanbul' }, texts)).toEqual([7])
    expect(run({ text: 'a$', regex: true }, texts)).toEqual([1, 2, 3, 6, 9])
    expect(run({ text: '^$', regex: true }, texts)).toEqual([10])
    // Would match across the line break between 8 and 9 if the block were one line.
    expect(run({ text: 'b\\seta', regex: true }, texts)).toEqual([])
    expect(run({ text: 'x*', regex: true }, texts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(run({ text: 'beta', levels: [5, 6] }, texts)).toEqual([])
    expect(run({ text: 'a', regex: true, context: 1 }, texts)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('agrees line by line and by block on random texts and searches', () => {
    const line = fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'ß', 'İ', 'i', ' ', '\t'), maxLength: 8 })
    const search = fc.oneof(
      fc.record({ text: fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'i', ' '), minLength: 1, maxLength: 3 }), regex: fc.constant(false) }),
      fc.record({ text: fc.constantFrom('^a', 'b$', 'a\\s+b', 'i?', '^$', '(a|b)b'), regex: fc.constant(true) })
    )
    fc.assert(
      fc.property(fc.array(line, { minLength: 10, maxLength: 10 }), search, fc.boolean(), (texts, { text, regex }, caseSensitive) => {
        run({ text, regex, caseSensitive }, texts)
      })
    )
  })

  it('adds context lines around matches like grep -C', () => {
    expect(run({ levels: [6], context: 1 })).toEqual([6, 7, 8])
    expect(run({ levels: [5, 6], context: 2 })).toEqual([2, 3, 4, 5, 6, 7, 8, 9])
    expect(run({ minScore: 1, context: 3 })).toEqual([7, 8, 9, 10])
  })

  it('widens matches with context exactly as matching first and adding grep -C lines by hand', () => {
    const columns = fc.integer({ min: 1, max: 60 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        blockLines: fc.integer({ min: 1, max: 7 }),
        levels: fc.array(fc.integer({ min: 0, max: 7 }), { minLength: n, maxLength: n }),
        templates: fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }),
        scores: fc.array(fc.constantFrom(0, 0.3, 0.6, 0.95), { minLength: n, maxLength: n })
      })
    )
    const criteria = fc.record(
      { minScore: fc.constantFrom(0.3, 0.6, 0.95), levels: fc.constant<number[]>([5, 6]), templates: fc.constant<number[]>([1, 3]), fromTs: fc.integer({ min: 0, max: 30_000 }) },
      { requiredKeys: [] }
    )
    fc.assert(
      fc.property(columns, criteria, fc.integer({ min: 1, max: 4 }), (c, criterion, radius) => {
        const index = LineIndex.fromColumns(
          {
            ts: Float64Array.from({ length: c.n }, (_, i) => i * 1_000),
            templates: Int32Array.from(c.templates),
            sessions: new Int32Array(c.n).fill(-1),
            levels: Uint8Array.from(c.levels),
            flags: new Uint8Array(c.n),
            scores: Float32Array.from(c.scores)
          },
          c.blockLines
        )
        const ctx: FilterContext = { index, canonical: (t) => t }
        const matches = [...filterLines(criterion, ctx)]
        const expected = new Set<number>()
        for (const m of matches) for (let l = Math.max(1, m - radius); l <= Math.min(c.n, m + radius); l++) expected.add(l)
        expect([...filterLines({ ...criterion, context: radius }, ctx)]).toEqual([...expected].sort((a, b) => a - b))
      }),
      { numRuns: 500 }
    )
  })

  it('counts lines and anomalies per time bucket', () => {
    const { index } = sample()
    expect(timeRange(index)).toEqual({ min: 1_000, max: 10_000 })
    const buckets = timeBuckets(index, 1_000, 10_000, 3, 0.55)
    expect(Array.from(buckets.lines)).toEqual([3, 3, 4])
    expect(Array.from(buckets.anomalies)).toEqual([0, 1, 4])
  })
})

describe('line filters, written into memory dropped results gave back', () => {
  it('answer as a fresh filter does, and leave results still kept as they were', () => {
    const previous = poolResultsFrom(1)
    try {
      const n = 3_000
      const rand = fc.sample(fc.integer({ min: 0, max: 99 }), { numRuns: n * 3, seed: 7 })
      const levels = Uint8Array.from({ length: n }, (_, i) => [3, 3, 3, 5, 6][(rand[i] as number) % 5] as number)
      const scores = Float32Array.from({ length: n }, (_, i) => (rand[n + i] as number) / 100)
      const texts = Array.from({ length: n }, (_, i) => `order ${i} ${(rand[2 * n + i] as number) % 4 === 0 ? 'failed' : 'ok'}`)
      const index = LineIndex.fromColumns(
        { ts: Float64Array.from({ length: n }, (_, i) => i), templates: Int32Array.from({ length: n }, (_, i) => i % 7), sessions: new Int32Array(n).fill(-1), levels, flags: new Uint8Array(n), scores },
        64
      )
      const context: FilterContext = { index, canonical: (t) => t, blockTexts: blocksOf(texts, 64) }
      const filters = [
        { levels: [5, 6] },
        { minScore: 0.9 },
        { minScore: 0.5, context: 2 },
        { text: 'failed' },
        { text: 'order \\d+ failed', regex: true, context: 3 },
        { templates: [2, 3], levels: [3] },
        { levels: [6], context: 1 },
        { minScore: 0.2 }
      ]
      // What each filter finds, line by line and by hand.
      const expected = filters.map((filter) => {
        const hits: number[] = []
        for (let i = 0; i < n; i++) {
          const ok =
            (!filter.levels || filter.levels.includes(levels[i] as number)) &&
            (filter.minScore === undefined || (scores[i] as number) >= filter.minScore) &&
            (!filter.templates || filter.templates.includes(i % 7)) &&
            (!filter.text || (filter.regex ? new RegExp(filter.text, 'i').test(texts[i] as string) : (texts[i] as string).includes(filter.text)))
          if (ok) hits.push(i + 1)
        }
        const radius = filter.context ?? 0
        const lines = new Set(hits.flatMap((line) => Array.from({ length: 2 * radius + 1 }, (_, k) => line - radius + k).filter((l) => l >= 1 && l <= n)))
        return [...lines].sort((a, b) => a - b)
      })
      // Filters in a random order, so results of every kind take memory every other kind gave back.
      const order = fc.sample(fc.integer({ min: 0, max: filters.length - 1 }), { numRuns: 200, seed: 11 })
      const kept = new KeptFilters(3)
      order.forEach((which, round) => {
        kept.keep(`f${round}`, { sourceId: 1, lines: filterLines(filters[which] as Parameters<typeof filterLines>[0], context) })
        // Every result still kept answers as it did when made.
        for (let back = 0; back < 3 && back <= round; back++) {
          expect([...(kept.get(`f${round - back}`)?.lines ?? [])]).toEqual(expected[order[round - back] as number])
        }
      })
      kept.clear()
    } finally {
      poolResultsFrom(previous)
    }
  })
})

describe('line filters, giving the thread back while they read text', () => {
  const context = (): FilterContext => {
    const { index, texts } = sample()
    return { index, canonical: (t) => t, blockTexts: blocksOf(texts) }
  }

  it('find what the filter finds at once, a stretch of text at a time', async () => {
    for (const filter of [{ text: 'get' }, { text: 'request \\d+ P', regex: true }, { text: 'POST', levels: [3], context: 1 }, { minScore: 0.5 }]) {
      let turns = 0
      let stop = false
      const tick = (): void => {
        turns++
        if (!stop) setImmediate(tick)
      }
      setImmediate(tick)
      const found = [...(await filterLinesAsync(filter, context(), undefined, 0))]
      stop = true
      expect(found).toEqual([...filterLines(filter, context())])
      // Other work ran between the stretches of text; a filter without text answers at once.
      expect(turns > 0).toBe(filter.text !== undefined)
    }
  })

  it('stop once aborted', async () => {
    const controller = new AbortController()
    const search = filterLinesAsync({ text: 'request' }, context(), controller.signal, 0)
    controller.abort(new Error('a newer filter replaced it'))
    await expect(search).rejects.toThrow('a newer filter replaced it')
  })
})
