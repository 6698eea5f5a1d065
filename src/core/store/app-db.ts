/**
 * The per-user application database (settings now; recent cases and models later). Case data
 * lives in separate case files, so this one stays small.
 */
import { join } from 'node:path'
import { settingsSchema } from '../../shared/api/contract.ts'
import type { Settings } from '../../shared/api/contract.ts'
import { openVersioned } from './sqlite.ts'
import type { Db, Schema } from './sqlite.ts'

export const appDbFileName = 'faultline.db'

const appSchema: Schema = {
  app: 'faultline-app',
  migrations: [(db) => db.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)`)]
}

export const defaultSettings: Settings = { theme: 'dark' }

export interface AppDb {
  readonly sqliteVersion: string
  getSettings(): Settings
  updateSettings(patch: Partial<Settings>): Settings
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
    const settings: Settings = { ...defaultSettings }
    for (const key of Object.keys(defaultSettings) as (keyof Settings)[]) {
      const field = settingsSchema.shape[key].safeParse(stored[key])
      if (field.success) settings[key] = field.data
    }
    return settings
  }

  return {
    sqliteVersion,
    getSettings,
    updateSettings(patch) {
      db.transaction(() => {
        for (const [key, value] of Object.entries(patch)) {
          if (value !== undefined) upsert.run(key, JSON.stringify(value))
        }
      })()
      return getSettings()
    },
    close: () => db.close()
  }
}
