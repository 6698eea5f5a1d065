/**
 * Lists of reasons stored once each (`reason_lists`), by their JSON text: flagged lines and
 * sessions hold an id. Most of them share a few lists ("template never seen in baseline … at
 * ERROR"): at 10M lines 720,000 flagged lines each stored their list's ~80 bytes of JSON, and
 * writing them was ~40% of the time spent inserting flagged lines and scored sessions.
 */
import type { Db } from '../store/sqlite.ts'

/**
 * Ids of lists given as JSON texts, adding the new ones: for one transaction (an id added in one
 * that then rolls back is gone, so none is kept past it).
 */
export function reasonListIds(db: Db): (json: string) => number {
  const find = db.prepare(`SELECT id FROM reason_lists WHERE reasons = ?`).pluck()
  const add = db.prepare(`INSERT INTO reason_lists (reasons) VALUES (?)`)
  const known = new Map<string, number>()
  return (json) => {
    let id = known.get(json)
    if (id === undefined) {
      id = (find.get(json) as number | undefined) ?? Number(add.run(json).lastInsertRowid)
      known.set(json, id)
    }
    return id
  }
}

/** A list's JSON text (as stored) back as its reasons; none for no list. */
export function parseReasons(json: string | null): string[] {
  return json === null ? [] : (JSON.parse(json) as string[])
}
