/**
 * Line shapes in the case: `text_shapes` holds each shape's spec, `text_variants` each variant's,
 * `text_grams.shapes` each indexed block's per-line variant ids (id + 1, 0 for none; 2 bytes a
 * line). All are written in the text index's transactions under one `stamp` per transaction, so
 * a reader that reads them in one transaction never sees a line filed under a shape narrower
 * than it.
 */
import type { Db } from '../../store/sqlite.ts'
import { lineFlag } from '../block-codec.ts'
import type { BlockColumns } from '../block-codec.ts'
import { shapeFromJson, shapeToJson, variantFromJson, variantToJson } from './line-shape.ts'
import type { LineShape, ShapeVariant } from './line-shape.ts'
import type { ShapeBook } from './shape-book.ts'

export interface StoredShapes {
  shapes: { id: number; shape: LineShape; stamp: number }[]
  variants: { id: number; variant: ShapeVariant; stamp: number }[]
}

/** Shapes and variants written after `stamp` (-1: all). */
export function shapesSince(db: Db, sourceId: number, stamp: number): StoredShapes {
  const read = (table: string, id: string): { id: number; spec: string; stamp: number }[] =>
    db.prepare(`SELECT ${id} AS id, spec, stamp FROM ${table} WHERE source_id = ? AND stamp > ? ORDER BY ${id}`).all(sourceId, stamp) as {
      id: number
      spec: string
      stamp: number
    }[]
  return {
    shapes: read('text_shapes', 'shape_id').map((row) => ({ id: row.id, shape: shapeFromJson(row.spec), stamp: row.stamp })),
    variants: read('text_variants', 'variant_id').map((row) => ({ id: row.id, variant: variantFromJson(row.spec), stamp: row.stamp }))
  }
}

/** The source's shapes and variants by id, for learning on from them. */
export function loadShapes(db: Db, sourceId: number): { shapes: LineShape[]; variants: ShapeVariant[] } {
  const stored = shapesSince(db, sourceId, -1)
  const dense = <T extends { id: number }>(rows: T[], what: string): T[] => {
    rows.forEach((row, i) => {
      if (row.id !== i) throw new Error(`the case's line ${what} skip id ${i}; the text index is damaged`)
    })
    return rows
  }
  return {
    shapes: dense(stored.shapes, 'shapes').map((row) => row.shape),
    variants: dense(stored.variants, 'variants').map((row) => row.variant)
  }
}

export function putShapes(db: Db, sourceId: number, book: ShapeBook, changed: { shapes: readonly number[]; variants: readonly number[] }, stamp: number): void {
  const upsert = (table: string, id: string): ((key: number, spec: string) => void) => {
    const statement = db.prepare(
      `INSERT INTO ${table} (source_id, ${id}, spec, stamp) VALUES (?, ?, ?, ?)
       ON CONFLICT (source_id, ${id}) DO UPDATE SET spec = excluded.spec, stamp = excluded.stamp`
    )
    return (key, spec) => statement.run(sourceId, key, spec, stamp)
  }
  const putShape = upsert('text_shapes', 'shape_id')
  for (const id of changed.shapes) putShape(id, shapeToJson(book.shapes[id] as LineShape))
  const putVariant = upsert('text_variants', 'variant_id')
  for (const id of changed.variants) putVariant(id, variantToJson(book.variants[id] as ShapeVariant))
}

/** Files each line of a block (its stored text, lines joined by '\n') under its variant: id + 1 per line. */
export function blockShapes(book: ShapeBook, text: string, columns: BlockColumns, count: number): Uint16Array {
  const ids = new Uint16Array(count)
  let start = 0
  for (let k = 0; k < count; k++) {
    let end = text.indexOf('\n', start)
    if (end < 0) end = text.length
    const continuation = ((columns.flags[k] as number) & lineFlag.continuation) !== 0
    ids[k] = book.assign(text, start, end, columns.templates[k] as number, continuation) + 1
    start = end + 1
  }
  return ids
}

/** A stored column of variant ids as an array (a view when aligned, else a copy). */
export function shapeColumn(blob: Uint8Array): Uint16Array {
  return blob.byteOffset % 2 === 0 ? new Uint16Array(blob.buffer, blob.byteOffset, blob.byteLength >>> 1) : new Uint16Array(new Uint8Array(blob).buffer)
}
