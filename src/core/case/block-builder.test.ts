import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BlockBuilder } from './block-builder.ts'
import type { EncodedBlock } from './block-builder.ts'
import { decodeText } from './block-codec.ts'
import { asciiBytes } from '../read/batch-text.ts'

const line = (text: string, i: number) => ({ offset: i * 10, text, ts: i, template: i % 3, session: -1, level: 3, flags: 0, score: 0 })

/** Every line's text, block by block, as stored. */
function texts(blocks: readonly EncodedBlock[]): string[][] {
  return blocks.map((b) => decodeText(b.text))
}

describe('BlockBuilder', () => {
  it('stores lines given as ranges of batch texts (strings, or ASCII bytes) exactly as lines given one by one', () => {
    const lineText = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '€', 'Z', '\r'), maxLength: 12 })
    fc.assert(
      fc.property(fc.array(fc.array(lineText, { minLength: 1, maxLength: 9 }), { maxLength: 8 }), fc.integer({ min: 1, max: 7 }), (batches, blockLines) => {
        const ranges = new BlockBuilder(blockLines)
        const single = new BlockBuilder(blockLines)
        const fromRanges: EncodedBlock[] = []
        const fromLines: EncodedBlock[] = []
        let n = 0
        for (const batch of batches) {
          // An all-ASCII batch comes as bytes, as the reader thread sends it (see batch-text.ts).
          const joined = asciiBytes(batch.join('\n'))
          let at = 0
          for (const text of batch) {
            const l = line(text, n++)
            ranges.appendRange(l.offset, l.ts, l.template, l.session, l.level, l.flags, l.score, joined, at, at + text.length)
            single.append(l)
            at += text.length + 1
          }
          // Commits (and the open tail block's encoding) fall between batches.
          fromRanges.push(...ranges.take())
          fromLines.push(...single.take())
        }
        expect(texts(fromRanges)).toEqual(texts(fromLines))
        expect(fromRanges.map((b) => [b.blockNo, b.firstLine, b.count, Buffer.from(b.columns).toString('hex')])).toEqual(
          fromLines.map((b) => [b.blockNo, b.firstLine, b.count, Buffer.from(b.columns).toString('hex')])
        )
      })
    )
  })

  it('goes on filling a stored tail block with ranges', () => {
    const first = new BlockBuilder(4)
    first.append(line('one', 0))
    first.append(line('two', 1))
    const [tail] = first.take() as [EncodedBlock]
    const resumed = new BlockBuilder(4, { blockNo: tail.blockNo, firstLine: tail.firstLine, count: tail.count, columns: tail.columns, text: tail.text, scores: tail.scores })
    const batch = 'three\nfour\nfive'
    resumed.appendRange(20, 2, 0, -1, 3, 0, 0, batch, 0, 5)
    resumed.appendRange(30, 3, 0, -1, 3, 0, 0, batch, 6, 10)
    resumed.appendRange(40, 4, 0, -1, 3, 0, 0, batch, 11, 15)
    expect(texts(resumed.take())).toEqual([['one', 'two', 'three', 'four'], ['five']])
  })
})
