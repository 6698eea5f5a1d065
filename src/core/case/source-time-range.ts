import type { Db } from '../store/sqlite.ts'

/**
 * First and last timestamp of a source, from its blocks' own min/max: no line index needed
 * (at 10M lines that takes half a second to load). Null when no line has a timestamp.
 */
export function sourceTimeRange(db: Db, sourceId: number): { min: number; max: number } | null {
  const row = db.prepare(`SELECT min(min_ts) AS min, max(max_ts) AS max FROM blocks WHERE source_id = ?`).get(sourceId) as {
    min: number | null
    max: number | null
  }
  return row.min === null || row.max === null ? null : { min: row.min, max: row.max }
}
