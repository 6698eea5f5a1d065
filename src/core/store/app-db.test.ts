import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { beforeEach, describe, expect, it } from 'vitest'
import { appDbFileName, defaultSettings, openAppDb } from './app-db.ts'
import { SchemaError } from './sqlite.ts'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-appdb-'))
})

describe('app database', () => {
  it('starts with default settings and keeps updates across reopening', () => {
    const first = openAppDb(dir)
    expect(first.getSettings()).toEqual(defaultSettings)
    expect(first.updateSettings({ theme: 'light' })).toEqual({ theme: 'light', desktopNotifications: false })
    first.close()
    const second = openAppDb(dir)
    expect(second.getSettings()).toEqual({ theme: 'light', desktopNotifications: false })
    second.close()
  })

  it('falls back to the default for a damaged stored value', () => {
    openAppDb(dir).close()
    const raw = new Database(join(dir, appDbFileName))
    raw.prepare(`INSERT INTO settings (key, value) VALUES ('theme', '"neon"')`).run()
    raw.close()
    const db = openAppDb(dir)
    expect(db.getSettings()).toEqual(defaultSettings)
    db.close()
  })

  it('refuses a file from a newer Faultline and leaves it untouched', () => {
    openAppDb(dir).close()
    const path = join(dir, appDbFileName)
    const raw = new Database(path)
    raw.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run()
    raw.pragma('journal_mode = DELETE')
    raw.close()
    const before = readFileSync(path)
    expect(() => openAppDb(dir)).toThrow(/newer Faultline \(schema 99/)
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('refuses a SQLite file that is not ours and leaves it untouched', () => {
    const path = join(dir, appDbFileName)
    const raw = new Database(path)
    raw.exec(`CREATE TABLE customers (id INTEGER PRIMARY KEY)`)
    raw.close()
    const before = readFileSync(path)
    expect(() => openAppDb(dir)).toThrow(SchemaError)
    expect(() => openAppDb(dir)).toThrow(/is not a faultline-app file/)
    expect(readFileSync(path).equals(before)).toBe(true)
  })

  it('refuses a file that is not a database at all', () => {
    const path = join(dir, appDbFileName)
    writeFileSync(path, 'these are not the bytes you are looking for'.repeat(200))
    expect(() => openAppDb(dir)).toThrow(/Cannot open .*faultline\.db/)
    expect(readFileSync(path, 'utf8').startsWith('these are not')).toBe(true)
  })
})
