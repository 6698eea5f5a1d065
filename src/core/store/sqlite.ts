/**
 * Opening SQLite files with versioned schemas. Shared by the app database and (later) case
 * files: a file from a newer Faultline, or one that is not ours, is refused with a clear error
 * and left untouched.
 */
import { closeSync, existsSync, fstatSync, openSync, readSync, statSync } from 'node:fs'
import Database from 'better-sqlite3'

export type Db = Database.Database

export interface Schema {
  /** Written to `meta.app` so we can tell our files from any other SQLite file. */
  app: string
  /** Migration i brings the schema from version i to i + 1. */
  migrations: readonly ((db: Db) => void)[]
  /** Page size of a new file (bytes, a power of two from 512 to 65,536); SQLite's default otherwise. */
  pageSize?: number | undefined
}

export class SchemaError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SchemaError'
  }
}

/**
 * A file cut short (a copy that stopped, a full disk) has a header promising more pages than it
 * holds. Only checked without a write-ahead log: pages a checkpoint has not yet copied back
 * legitimately live there.
 */
function checkNotTruncated(path: string): void {
  if (!existsSync(path) || (statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0) > 0) return
  const header = Buffer.alloc(100)
  const fd = openSync(path, 'r')
  let size: number
  let read: number
  try {
    size = fstatSync(fd).size
    read = readSync(fd, header, 0, 100, 0)
  } finally {
    closeSync(fd)
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') return // not SQLite: refused later
  const pageSize = header.readUInt16BE(16) === 1 ? 65_536 : header.readUInt16BE(16)
  const pages = header.readUInt32BE(28)
  // The page count is only valid when the change counter matches "version valid for".
  if (pages === 0 || header.readUInt32BE(24) !== header.readUInt32BE(92)) return
  if (size < pages * pageSize) {
    throw new SchemaError(`${path} is damaged: it is cut short (${size.toLocaleString('en-US')} of ${(pages * pageSize).toLocaleString('en-US')} bytes)`)
  }
}

export function openVersioned(path: string, schema: Schema): Db {
  checkNotTruncated(path)
  const db = new Database(path)
  try {
    const fresh = check(db, path, schema)
    // Only a file with nothing in it yet takes a page size (in WAL mode it is fixed for good).
    if (fresh && schema.pageSize !== undefined) db.pragma(`page_size = ${schema.pageSize}`)
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    migrate(db, schema)
    return db
  } catch (error) {
    db.close()
    if (error instanceof SchemaError) throw error
    // better-sqlite3 reports a non-database file on first read ("file is not a database").
    throw new SchemaError(`Cannot open ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** Read-only checks, done before anything could write to the file; true for a new, empty file. */
function check(db: Db, path: string, schema: Schema): boolean {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]
  if (tables.length === 0) return true
  if (!tables.includes('meta')) throw new SchemaError(`${path} is not a ${schema.app} file`)
  const app = db.prepare(`SELECT value FROM meta WHERE key = 'app'`).pluck().get()
  if (app !== schema.app) throw new SchemaError(`${path} is not a ${schema.app} file (it belongs to ${String(app)})`)
  const version = Number(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get())
  if (!Number.isInteger(version) || version < 0) throw new SchemaError(`${path} has no valid schema version`)
  if (version > schema.migrations.length) {
    throw new SchemaError(
      `${path} was written by a newer Faultline (schema ${version}; this version knows up to ${schema.migrations.length})`
    )
  }
  return false
}

function migrate(db: Db, schema: Schema): void {
  db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)
  const upsert = db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`)
  const current = Number(db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).pluck().get() ?? 0)
  db.transaction(() => {
    upsert.run('app', schema.app)
    for (let version = current; version < schema.migrations.length; version++) {
      schema.migrations[version]?.(db)
      upsert.run('schema_version', String(version + 1))
    }
  })()
}
