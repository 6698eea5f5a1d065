import { describe, expect, it } from 'vitest'
import type { EncodedBlock } from '../case/block-builder.ts'
import { BatchBuffers } from './batch-buffers.ts'

/** A batch's bytes in a buffer of their own, as a reader thread sends them. */
const batchOf = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'))

/** A block whose text is a view of `bytes` [start, end), as BlockBuilder makes one. */
function blockOver(bytes: Uint8Array, start: number, end: number): EncodedBlock {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)
  return { blockNo: 0, firstLine: 1, count: 1, minTs: null, maxTs: null, columns: new Uint8Array(1), text, scores: new Uint8Array(4) }
}

/** Three batches of two lines each, read by `buffers` in turn. */
function readThree(buffers: BatchBuffers): [Uint8Array, Uint8Array, Uint8Array] {
  const batches = [batchOf('a\nb\n'), batchOf('c\nd\n'), batchOf('e\nf\n')] as const
  for (const batch of batches) buffers.reading(batch)
  return [...batches]
}

describe('batch buffers', () => {
  it('hands over the bytes of batches the pipeline is done with, and copies views of bytes still in use', () => {
    const buffers = new BatchBuffers(true)
    const [first, second, third] = readThree(buffers)
    // Blocks of the first batch, of the second (whose last line the open block holds) and of the third (read now).
    const blocks = [blockOver(first, 0, 3), blockOver(second, 0, 1), blockOver(third, 0, 1)]
    expect(buffers.handOver(blocks, [second])).toEqual([first.buffer])
    expect(blocks[0]?.text.buffer).toBe(first.buffer)
    for (const [i, from] of [[1, second], [2, third]] as const) {
      const text = blocks[i]?.text as Uint8Array
      expect(text.buffer).not.toBe(from.buffer)
      expect(text.byteLength).toBe(text.buffer.byteLength)
      expect(Buffer.from(text).toString('latin1')).toBe(i === 1 ? 'c' : 'e')
    }
    // The first batch is forgotten: a later view of it would be copied, not handed over twice.
    const late = [blockOver(first, 2, 3)]
    expect(buffers.handOver(late, [])).toEqual([])
    expect(late[0]?.text.buffer).not.toBe(first.buffer)
  })

  it('gives back for recycling the buffers of batches done with that it copied from rather than handed over', () => {
    const recycled: ArrayBuffer[] = []
    const buffers = new BatchBuffers(true, (given) => recycled.push(...given))
    const [first, second] = readThree(buffers)
    // The first batch's lines all went in earlier commits; the second's view is handed over; the third is read now.
    expect(buffers.handOver([blockOver(second, 0, 1)], [])).toEqual([second.buffer])
    expect(recycled).toEqual([first.buffer])
    // Nothing held any more but the batch read now: nothing more to give back.
    expect(buffers.handOver([], [])).toEqual([])
    expect(recycled).toEqual([first.buffer])
  })

  it('copies every view when batches do not have buffers of their own', () => {
    const buffers = new BatchBuffers(false)
    const bytes = batchOf('a\nb\n')
    buffers.reading(bytes)
    buffers.reading(batchOf('c\n'))
    const blocks = [blockOver(bytes, 0, 3)]
    expect(buffers.handOver(blocks, [])).toEqual([])
    expect(blocks[0]?.text.buffer).not.toBe(bytes.buffer)
  })
})
