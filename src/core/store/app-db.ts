/**
 * The per-user application database: settings, recent cases and the model library's index.
 * Case data lives in separate case files and model files beside it, so this one stays small.
 */
import { join } from 'node:path'
import { settingsSchema } from '../../shared/api/contract.ts'
import type { Settings } from '../../shared/api/contract.ts'
import { openVersioned } from './sqlite.ts'
import type { Db, Schema } from './sqlite.ts'

export const appDbFileName = 'faultline.db'

const appSchema: Schema = {
  app: 'faultline-app',
  migrations: [
    (db) => db.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`),
    (db) => db.exec(`CREATE TABLE recent_cases (path TEXT PRIMARY KEY, title TEXT NOT NULL, opened_at REAL NOT NULL)`),
    // The model library (see models/model-library.ts): what the list shows, so listing never
    // parses model files; the file itself is the truth.
    (db) =>
      db.exec(`
        CREATE TABLE models (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          file TEXT NOT NULL,
          added_at REAL NOT NULL,
          info TEXT NOT NULL
        )
      `)
  ]
}

export const defaultSettings: Settings = { theme: 'dark', desktopNotifications: false }

export interface RecentCase {
  path: string
  title: string
  openedAt: number
}

export interface AppDb {
  readonly sqliteVersion: string
  /** For the stores that keep their own tables here (the model library). */
  readonly db: Db
  getSettings(): Settings
  updateSettings(patch: Partial<Settings>): Settings
  /** Remembers a case as just opened. */
  touchRecent(recent: RecentCase): void
  recentCases(limit: number): RecentCase[]
  forgetRecent(path: string): void
  close(): void
}

export function openAppDb(dataDir: string): AppDb {
  const db: Db = openVersioned(join(dataDir, appDbFileName), appSchema)
  const selectAll = db.prepare(`SELECT key, value FROM settings`)
  const upsert = db.prepare(
    `INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`
  )
  const sqliteVersion = String(db.prepare(`SELECT sqlite_version()`).pluck().get())

  function getSettings(): Settings {
    const stored: Record<string, unknown> = {}
    for (const row of selectAll.all() as { key: string; value: string }[]) {
      try {
        stored[row.key] = JSON.parse(row.value)
      } catch {
        // A hand-edited or damaged value falls back to its default rather than failing start-up.
      }
    }
    // Validate key by key so one bad value does not reset the others.
    const settings: Record<string, unknown> = { ...defaultSettings }
    for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
      const field = settingsSchema.shape[key].safeParse(stored[key])
      if (field.success) settings[key] = field.data
    }
    return settingsSchema.parse(settings)
  }

  return {
    sqliteVersion,
    db,
    getSettings,
    updateSettings(patch) {
      db.transaction(() => {
        for (const [key, value] of Object.entries(patch)) {
          if (value !== undefined) upsert.run(key, JSON.stringify(value))
        }
      })()
      return getSettings()
    },
    touchRecent({ path, title, openedAt }) {
      db.prepare(
        `INSERT INTO recent_cases (path, title, opened_at) VALUES (?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET title = excluded.title, opened_at = excluded.opened_at`
      ).run(path, title, openedAt)
    },
    recentCases(limit) {
      return (
        db.prepare(`SELECT path, title, opened_at FROM recent_cases ORDER BY opened_at DESC LIMIT ?`).all(limit) as {
          path: string
          title: string
          opened_at: number
        }[]
      ).map((r) => ({ path: r.path, title: r.title, openedAt: r.opened_at }))
    },
    forgetRecent(path) {
      db.prepare(`DELETE FROM recent_cases WHERE path = ?`).run(path)
    },
    close: () => db.close()
  }
}
