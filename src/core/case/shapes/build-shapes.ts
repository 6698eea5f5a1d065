/**
 * Files a source's stored lines under their shapes (see shape-book.ts), block by block, in small
 * transactions: safe to stop at any point (cancel, crash) and to run again, which only does what
 * is left. Runs beside the trigram bitmaps' build (text-index.ts), each in a worker of its own.
 */
import type { Db } from '../../store/sqlite.ts'
import { decodeColumns } from '../block-codec.ts'
import { ShapeBook } from './shape-book.ts'
import { blockShapes, loadShapes, putShapes } from './shape-store.ts'
import { buildInBatches } from '../index-build.ts'
import type { BuildOptions, BuildResult, PendingBlocks } from '../index-build.ts'

export function buildLineShapes(db: Db, sourceId: number, options: BuildOptions = {}): BuildResult {
  const pending = db.prepare(
    `SELECT b.block_no, b.first_line, b.line_count, b.columns, b.text FROM blocks b
     LEFT JOIN text_shape_lines s ON s.source_id = b.source_id AND s.block_no = b.block_no
     WHERE b.source_id = ? AND b.block_no > ? AND (s.line_count IS NULL OR s.line_count != b.line_count)
     ORDER BY b.block_no LIMIT ?`
  )
  const upsert = db.prepare(
    `INSERT INTO text_shape_lines (source_id, block_no, first_line, line_count, stamp, shapes) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_id, block_no) DO UPDATE SET
       first_line = excluded.first_line, line_count = excluded.line_count, stamp = excluded.stamp, shapes = excluded.shapes`
  )
  const lastStamp = db.prepare(`SELECT coalesce(max(stamp), 0) FROM text_shape_lines WHERE source_id = ?`).pluck()
  const blocks: PendingBlocks<BlockRow> = {
    total: db.prepare(`SELECT count(*) FROM blocks WHERE source_id = ?`).pluck().get(sourceId) as number,
    pending: (after, limit) => pending.all(sourceId, after, limit) as BlockRow[],
    done: () => db.prepare(`SELECT count(*) FROM text_shape_lines WHERE source_id = ?`).pluck().get(sourceId) as number
  }
  const learnt = (): ShapeBook => {
    const stored = loadShapes(db, sourceId)
    return new ShapeBook(stored.shapes, stored.variants)
  }
  let stamp = lastStamp.get(sourceId) as number
  let book = learnt()
  return buildInBatches(options, blocks, (rows) => {
    const texts = rows.map((row) => row.text.toString('utf8'))
    for (;;) {
      const shapes = rows.map((row, i) => blockShapes(book, texts[i] as string, decodeColumns(row.columns, row.line_count), row.line_count))
      const changed = book.takeChanged()
      // Shapes are widened from what is stored: had another builder written since, start again
      // from its shapes, or lines it filed could end up under a shape narrower than they are.
      const written = db
        .transaction(() => {
          if (lastStamp.get(sourceId) !== stamp) return false
          stamp++
          rows.forEach((row, i) => {
            const ids = shapes[i] as Uint16Array
            upsert.run(sourceId, row.block_no, row.first_line, row.line_count, stamp, new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength))
          })
          putShapes(db, sourceId, book, changed, stamp)
          return true
        })
        .immediate()
      if (written) return
      stamp = lastStamp.get(sourceId) as number
      book = learnt()
    }
  })
}

interface BlockRow {
  block_no: number
  first_line: number
  line_count: number
  columns: Buffer
  text: Buffer
}

/** Blocks whose lines are all filed under shapes (with their current line count). */
export function shapedBlocks(db: Db, sourceId: number): { blocks: number; shaped: number; bytes: number } {
  return db
    .prepare(
      `SELECT count(*) AS blocks, count(s.block_no) AS shaped, coalesce(sum(length(s.shapes)), 0) AS bytes FROM blocks b
       LEFT JOIN text_shape_lines s ON s.source_id = b.source_id AND s.block_no = b.block_no AND s.line_count = b.line_count
       WHERE b.source_id = ?`
    )
    .get(sourceId) as { blocks: number; shaped: number; bytes: number }
}
