import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { LineFilter } from '../../shared/case/line-filter.ts'
import { CaseStore } from './case-store.ts'
import { filterLines } from './filter-lines.ts'
import { LineIndex } from './line-index.ts'
import { poolResultsFrom } from './result-memory.ts'
import { KeptFilters } from '../workspace/kept-filters.ts'
import { startTextIndex } from './text-index-job.ts'
import { buildLineShapes } from './shapes/build-shapes.ts'
import { buildTextIndex, requiredGrams } from './text-index.ts'

const stores: CaseStore[] = []
const folders: string[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  // A property test makes hundreds of cases: none is left behind.
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

function newCase(texts: readonly string[], blockLines = 4): { store: CaseStore; id: number; path: string } {
  const folder = mkdtempSync(join(tmpdir(), 'faultline-text-'))
  folders.push(folder)
  const path = join(folder, 'test.faultline')
  const store = CaseStore.create(path)
  stores.push(store)
  const id = store.addSource({ path: 'a.log', size: 0, startedAt: 0 })
  const writer = store.writer(id, { blockLines })
  texts.forEach((text, i) => writer.append({ offset: i, text, ts: i * 1_000, template: i % 5, session: -1, level: i % 3 === 0 ? 6 : 3, flags: 0, score: (i % 10) / 10 }, i + 1))
  writer.commit(texts.length)
  return { store, id, path }
}

/** The plain scan: line by line, no posting lists, no text index. */
function scan(store: CaseStore, id: number, filter: LineFilter): number[] {
  const stored = store.lines(id, 1, 1_000_000)
  const index = LineIndex.fromColumns({
    ts: Float64Array.from(stored, (l) => l.ts ?? Number.NaN),
    templates: Int32Array.from(stored, (l) => l.template),
    sessions: Int32Array.from(stored, (l) => l.session),
    levels: Uint8Array.from(stored, (l) => l.level),
    flags: Uint8Array.from(stored, (l) => l.flags),
    scores: Float32Array.from(stored, (l) => l.score)
  })
  return Array.from(
    filterLines(filter, {
      index,
      canonical: (t) => t,
      texts: function* (from, to) {
        for (const line of stored.slice(from - 1, to)) yield line
      }
    })
  )
}

describe('text index', () => {
  it('needs no gram for a regex with no text it must hold', () => {
    expect(requiredGrams({ text: '\\d+', regex: true })).toEqual([])
    expect(requiredGrams({ text: 'ab|\\d', regex: true })).toEqual([])
    expect(requiredGrams({ text: '(WARN|ERROR) ', regex: true })).toHaveLength(1)
  })

  it('rules out blocks without the text and gives exactly the scan’s answers', () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'request Timed Out after 30000ms' : `request ${i} ok`))
    const { store, id } = newCase(texts)
    expect(buildTextIndex(store.db, id).blocksIndexed).toBe(10)
    // Half built: the bitmaps alone.
    expect(store.textIndexStatus(id)).toMatchObject({ blocks: 10, indexed: 0, ready: false })
    expect(buildLineShapes(store.db, id).blocksIndexed).toBe(10)
    expect(store.textIndexStatus(id)).toMatchObject({ blocks: 10, indexed: 10, ready: true })
    const allowed = store.textIndex(id).blockFilter({ text: 'timed out' })
    expect(allowed && [0, 4, 8, 12, 16, 20].map((start) => allowed(start, 4))).toEqual([false, false, false, false, true, false])
    expect(Array.from(store.filter(id, { text: 'timed out' }))).toEqual([18])
    expect(Array.from(store.filter(id, { text: 'timed.*after \\d+ms', regex: true }))).toEqual([18])
    // Run again: nothing left to do.
    expect(buildTextIndex(store.db, id).blocksIndexed).toBe(0)
    expect(buildLineShapes(store.db, id).blocksIndexed).toBe(0)
  })

  it('builds what the first filter and search would wait for when warmed, ahead of them', () => {
    const texts = Array.from({ length: 40 }, (_, i) => (i === 17 ? 'request Timed Out after 30000ms' : `request ${i} ok`))
    const { store, id } = newCase(texts)
    buildTextIndex(store.db, id)
    buildLineShapes(store.db, id)
    const before = { postings: store.index(id).postingsBytes, text: store.textIndex(id).bytes }
    Array.from(store.warming(id))
    // Posting lists per level and per template (4 bytes a line each), and lines by variant.
    expect(store.index(id).postingsBytes - before.postings).toBeGreaterThanOrEqual(2 * 4 * 40)
    expect(store.textIndex(id).bytes - before.text).toBeGreaterThanOrEqual(4 * 40)
    expect(Array.from(store.filter(id, { text: 'timed out', levels: [3] }))).toEqual([18])
  })

  it('takes the lines whose shape always matches unread, and reads the lines it cannot answer for', () => {
    // Most lines are of a shape that always holds "ok"; the others hold it only in some values.
    // Names of many values (no choice of a few): "ok" may be in any, so they are read.
    const name = (i: number): string => Array.from({ length: 5 }, (_, k) => 'abcdefghijklmnopqrstuvwxyz'[Math.floor((i * 7919) / 26 ** k) % 26]).join('')
    const texts = Array.from({ length: 3000 }, (_, i) => (i % 3 === 2 ? `user ${name(i)} logged in` : `request ${i} ok`))
    const { store, id } = newCase(texts, 16)
    buildTextIndex(store.db, id)
    buildLineShapes(store.db, id)
    for (const filter of [{ text: 'ok' }, { text: 'ok', context: 1 }, { text: 'ok', regex: true }, { text: 'OK', caseSensitive: true }] satisfies LineFilter[]) {
      const found = Array.from(store.filter(id, filter))
      expect(found).toEqual(scan(store, id, filter))
    }
    // Both kinds were found: the shape's lines and the names read.
    const found = Array.from(store.filter(id, { text: 'ok' }))
    expect(found.filter((lineNo) => texts[lineNo - 1]?.startsWith('request'))).toHaveLength(2000)
    expect(found.some((lineNo) => texts[lineNo - 1]?.startsWith('user'))).toBe(true)
  })

  it('answers as the scan does when its results are written into memory dropped ones gave back', () => {
    const previous = poolResultsFrom(1)
    try {
      const name = (i: number): string => Array.from({ length: 5 }, (_, k) => 'abcdefghijklmnopqrstuvwxyz'[Math.floor((i * 7919) / 26 ** k) % 26]).join('')
      const texts = Array.from({ length: 2000 }, (_, i) => (i % 3 === 2 ? `user ${name(i)} logged in` : i % 3 ? `order ${i} ${i % 4 ? 'ok' : 'failed'}` : `request ${i} ok`))
      const { store, id } = newCase(texts, 16)
      buildTextIndex(store.db, id)
      buildLineShapes(store.db, id)
      const filters: LineFilter[] = [{ text: 'ok' }, { text: 'order \\d+ failed', regex: true, context: 2 }, { text: 'o', levels: [6] }, { text: 'ok', context: 1 }, { text: 'e' }, { text: 'ok', levels: [3, 6] }, { text: 'request|q|x', regex: true, levels: [3, 6] }]
      const expected = filters.map((filter) => scan(store, id, filter))
      const kept = new KeptFilters(2)
      for (let round = 0; round < 30; round++) {
        kept.keep(`f${round}`, { sourceId: id, lines: store.filter(id, filters[round % filters.length] as LineFilter) })
        for (let back = 0; back < 2 && back <= round; back++) expect(Array.from(kept.get(`f${round - back}`)?.lines ?? [])).toEqual(expected[(round - back) % filters.length])
      }
      kept.clear()
    } finally {
      poolResultsFrom(previous)
    }
  })

  it('searches a block longer than a piece of text (64 KB) as line by line, whatever line a match is on', () => {
    // 300 lines of ~1 KB in one block: searched in pieces of whole lines, each numbered right.
    const texts = Array.from({ length: 300 }, (_, i) => `${i % 37 === 5 ? 'needle ' : ''}line ${i} ${'x'.repeat(1000)}${i % 41 === 7 ? ' tail-needle' : ''}`)
    const { store, id } = newCase(texts, 512)
    for (const filter of [{ text: 'needle' }, { text: 'needle$', regex: true }, { text: '^needle', regex: true }, { text: 'line 2\\d\\d ', regex: true }] satisfies LineFilter[]) {
      expect(Array.from(store.filter(id, filter))).toEqual(scan(store, id, filter))
    }
    expect(Array.from(store.filter(id, { text: 'line 299 ' }))).toEqual([300])
  })

  it('re-indexes a tail block that grew, and searches blocks not indexed yet', () => {
    const { store, id } = newCase(['alpha', 'beta'], 4)
    buildTextIndex(store.db, id)
    buildLineShapes(store.db, id)
    // Asked before the block grows: what the index said of it then must not stick.
    expect(Array.from(store.filter(id, { text: 'gamma' }))).toEqual([])
    const writer = store.writer(id, { blockLines: 4 })
    writer.append({ offset: 2, text: 'gamma', ts: 0, template: 0, session: -1, level: 3, flags: 0, score: 0 }, 3)
    writer.commit(3)
    expect(Array.from(store.filter(id, { text: 'gamma' }))).toEqual([3])
    expect(store.textIndexStatus(id).ready).toBe(false)
    expect(buildTextIndex(store.db, id).blocksIndexed).toBe(1)
    expect(buildLineShapes(store.db, id).blocksIndexed).toBe(1)
    expect(store.textIndexStatus(id).ready).toBe(true)
    expect(Array.from(store.filter(id, { text: 'gamma' }))).toEqual([3])
  })

  it('gives exactly the plain scan’s line numbers on random texts and searches', () => {
    // A small alphabet with the letters case folding treats specially (long s, Kelvin sign,
    // dotted I, final sigma), so searches hit often and the folds get exercised.
    const unit = fc.constantFrom('a', 'k', 'K', '\u212a', 's', 'S', 'ſ', 'İ', 'i', 'σ', 'Σ', ' ', '1')
    const search = fc.oneof(
      fc.record({ text: fc.string({ unit, minLength: 1, maxLength: 4 }), regex: fc.constant(false) }),
      fc.record({
        text: fc.constantFrom('ks', 'k.s', 'sk+', 'a?ks', 'Kss', 'iks', 's{2}k', '(ak)?ss', 'k|s', '[ak]ss', '^sk', 'sk$', '\\d+ss', 'i̇k', 'σk', 'ΣK'),
        regex: fc.constant(true)
      })
    )
    // Random lines, and lines of one pattern, so that line shapes with constants, prefixes and
    // choices form and answer for whole groups of lines.
    const line = fc.oneof(
      fc.string({ unit, maxLength: 8 }),
      fc.tuple(fc.string({ unit: fc.constantFrom('a', 'k', 's', 'İ', 'Σ', '1'), maxLength: 3 }), fc.constantFrom(' ', '  ')).map(([v, sep]) => `ask${sep}id=${v}1 Kſ`)
    )
    fc.assert(
      fc.property(
        fc.array(line, { minLength: 1, maxLength: 30 }),
        search,
        fc.boolean(),
        fc.option(fc.constantFrom([6], [3], [3, 6]), { nil: undefined }),
        fc.option(fc.constantFrom([0], [1, 3]), { nil: undefined }),
        fc.option(fc.tuple(fc.nat(), fc.nat(), fc.integer({ min: 3, max: 5 }), fc.boolean()), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }),
        // Blocks of two sizes, so that matches fall at other places within and across blocks.
        fc.constantFrom(3, 8),
        (texts, { text: drawn, regex: drawnRegex }, caseSensitive, levels, templates, fromLine, gramBatches, shapeBatches, blockLines) => {
          const { store, id } = newCase(texts, blockLines)
          // Each part whole, or over its first blocks only (the rest searched as not indexed yet).
          const part = (batches: number | undefined): { batchBlocks?: number; maxBatches?: number } => (batches === undefined ? {} : { batchBlocks: 2, maxBatches: batches })
          buildTextIndex(store.db, id, part(gramBatches))
          buildLineShapes(store.db, id, part(shapeBatches))
          // Often search for (a case variant of) a piece of a line, so searches hit.
          let text = drawn
          let regex = drawnRegex
          if (fromLine) {
            const [which, at, length, asRegex] = fromLine
            const line = texts[which % texts.length] as string
            const piece = line.slice(at % Math.max(1, line.length), (at % Math.max(1, line.length)) + length)
            const variant = Array.from(piece, (c, i) => (i % 2 ? c : ({ s: 'ſ', ſ: 'S', k: '\u212a', K: 'k', σ: 'Σ', Σ: 'σ', i: 'I' } as Record<string, string>)[c] ?? c)).join('')
            if (variant.length > 0) {
              text = variant
              regex = asRegex
            }
          }
          const filter: LineFilter = { text, regex, caseSensitive, levels: levels && [...levels], templates: templates && [...templates] }
          expect(Array.from(store.filter(id, filter))).toEqual(scan(store, id, filter))
          store.close()
          stores.splice(stores.indexOf(store), 1)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('builds in a worker thread, and starting again does nothing', async () => {
    const texts = Array.from({ length: 100 }, (_, i) => `line ${i}`)
    const { store, id, path } = newCase(texts, 8)
    const first = await startTextIndex({ casePath: path, sourceId: id }).done
    expect(first).toMatchObject({ blocksIndexed: 13, cancelled: false })
    expect(store.textIndex(id).shapes).toBeGreaterThan(0)
    expect(store.textIndexStatus(id).ready).toBe(true)
    expect((await startTextIndex({ casePath: path, sourceId: id }).done).blocksIndexed).toBe(0)
  })
})

describe('posting lists', () => {
  it('give the same lines as scanning, for levels, templates and the rest together', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ level: fc.integer({ min: 0, max: 7 }), template: fc.integer({ min: -1, max: 6 }), score: fc.float({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 60 }),
        fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
        fc.option(fc.uniqueArray(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 3 }), { nil: undefined }),
        fc.option(fc.constantFrom(0.2, 0.7), { nil: undefined }),
        fc.integer({ min: 0, max: 20 }),
        (lines, levels, templates, minScore, grownBy) => {
          const columns = {
            ts: Float64Array.from(lines, (_, i) => i),
            templates: Int32Array.from(lines, (l) => l.template),
            sessions: new Int32Array(lines.length).fill(-1),
            levels: Uint8Array.from(lines, (l) => l.level),
            flags: new Uint8Array(lines.length),
            scores: Float32Array.from(lines, (l) => l.score)
          }
          const index = LineIndex.fromColumns(columns, 4)
          const canonical = (t: number): number => (t === 6 ? 2 : t)
          const filter: LineFilter = { levels, templates, minScore }
          const expected = lines.flatMap((l, i) =>
            (!levels || levels.includes(l.level)) && (!templates || (l.template >= 0 && templates.includes(canonical(l.template)))) && (minScore === undefined || l.score >= minScore)
              ? [i + 1]
              : []
          )
          // Posting lists built over a prefix, the rest scanned (a source still ingesting).
          const covered = Math.max(0, lines.length - grownBy)
          const partial = LineIndex.fromColumns(columns, 4)
          partial.length = covered
          partial.levelPostings()
          partial.templatePostings()
          partial.length = lines.length
          expect(Array.from(filterLines(filter, { index, canonical }))).toEqual(expected)
          expect(Array.from(filterLines(filter, { index: partial, canonical }))).toEqual(expected)
        }
      ),
      { numRuns: 300 }
    )
  })
})
