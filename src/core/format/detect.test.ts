import { describe, expect, it } from 'vitest'
import { detectFormat } from './detect.ts'
import { createLineSplitter } from './split-line.ts'
import type { HeadScan } from './types.ts'
import { GOLDEN } from './testing/golden-formats.ts'
import type { Golden } from './testing/golden-formats.ts'
import { normalizeLevel } from '../../shared/levels.ts'

describe('detectFormat golden samples', () => {
  it.each(GOLDEN.map((g) => [g.name, g] as const))('%s', (_name, g) => {
    const splitter = createLineSplitter(detectFormat(g.lines, 2024), 2024)
    const split = g.lines.map((l) => splitter.split(l))
    expect(split.map((s) => s.content)).toEqual(g.contents)
    expect(split[0]?.fields).toMatchObject(g.first)
  })

  it.each(GOLDEN.map((g) => [g.name, g] as const))('scans heads in place as split reads them: %s', (_name, g) => {
    const splitter = createLineSplitter(detectFormat(g.lines, 2024), 2024)
    // Token layouts scan in place; the others are split line by line (see packed-records.ts).
    const scanHead = splitter.scanHead
    expect(scanHead !== undefined).toBe(splitter.spec.kind === 'tokens')
    if (!scanHead) return
    // The lines stand in one text, as a batch holds them, plus one that fits no layout.
    const lines = [...g.lines, 'garbage without header  ']
    const text = lines.join('\n') + '\n'
    const scan: HeadScan = { ts: 0, level: 0, contentStart: 0, contentEnd: 0 }
    let at = 0
    for (const line of lines) {
      const split = splitter.split(line)
      expect(scanHead(text, at, at + line.length, scan)).toBe(split.matched)
      expect({ ts: scan.ts, level: scan.level, content: text.slice(scan.contentStart, scan.contentEnd) }).toEqual({
        ts: split.fields.ts ?? Number.NaN,
        level: normalizeLevel(split.fields.level),
        content: split.content
      })
      at += line.length + 1
    }
  })

  it('describes the layout it found', () => {
    const golden = GOLDEN[0] as Golden
    expect(createLineSplitter(detectFormat(golden.lines, 2024)).description).toBe('<Timestamp> <Pid> <Level> <Component>: <Content>')
  })

  it('keeps a line that does not fit the layout whole', () => {
    const golden = GOLDEN[1] as Golden
    const splitter = createLineSplitter(detectFormat(golden.lines, 2024), 2024)
    expect(splitter.split('garbage without header')).toMatchObject({ content: 'garbage without header', matched: false })
  })
})
