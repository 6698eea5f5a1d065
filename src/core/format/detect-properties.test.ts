/**
 * Property tests for the format detector and header splitter on hostile text (issue #9): they
 * never throw, give the same answer twice, and account for every line (an unmatched line keeps
 * all its text as content).
 */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createLineSplitter, detectFormat } from './index.ts'

/** Log-shaped lines with hostile pieces mixed in: escapes, NULs, markup, odd Unicode. */
const logish = fc
  .array(
    fc.oneof(
      fc.constantFrom('2024-03-01', '12:00:01,123', 'Jul  1 07:57:30', '081109', '203615', 'INFO', 'WARN', 'ERROR', '[main]', 'dfs.DataNode:', '-', ':'),
      fc.constantFrom('\x1b[31m', '\0', '<script>', '\uFFFD', '\u202E', '\r', '\t', '𝄞', '%s%n', '{{7*7}}'),
      fc.string({ maxLength: 8, unit: 'binary' })
    ),
    { maxLength: 10 }
  )
  .map((parts) => parts.join(' '))

const anyLine = fc.oneof(logish, fc.string({ maxLength: 120, unit: 'binary' }))

describe('format detection on hostile lines', () => {
  it('never throws and is deterministic', () => {
    fc.assert(
      fc.property(fc.array(anyLine, { maxLength: 60 }), (sample) => {
        const spec = detectFormat(sample, 2024)
        expect(detectFormat([...sample], 2024)).toEqual(spec)
      }),
      { numRuns: 300 }
    )
  })

  it('splits every line without throwing, deterministically, losing no text of a line it cannot fit', () => {
    fc.assert(
      fc.property(fc.array(logish, { minLength: 1, maxLength: 30 }), fc.array(anyLine, { maxLength: 30 }), (sample, lines) => {
        const splitter = createLineSplitter(detectFormat(sample, 2024), 2024)
        for (const line of [...sample, ...lines]) {
          const split = splitter.split(line)
          expect(splitter.split(line)).toEqual(split)
          expect(splitter.content(line)).toBe(split.content)
          expect(typeof splitter.startsRecord(line)).toBe('boolean')
          // Only spaces and control characters at the ends go (the stored line keeps them).
          if (!split.matched) expect(split.content).toBe(line.replace(/^[\0-\x20]+|[\0-\x20]+$/g, ''))
        }
      }),
      { numRuns: 300 }
    )
  })
})
