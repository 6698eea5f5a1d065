/**
 * The model library: every model the user trained or imported, kept as model files in one
 * folder with an index in the app database (so the Models view lists without parsing files).
 * The file is the truth: an index row whose file has gone is dropped when listed.
 */
import { randomUUID } from 'node:crypto'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../store/sqlite.ts'
import { ApiError } from '../../shared/api/errors.ts'
import { defaultModelName } from '../../shared/models/model-entry.ts'
import type { ModelEntry } from '../../shared/models/model-entry.ts'
import { ModelFileError, parseModel, saveModel } from '../model/model-file.ts'
import type { Model } from '../model/model.ts'
import type { Clock } from '../service/deps.ts'

type ModelInfo = Omit<ModelEntry, 'id' | 'name' | 'addedAt' | 'bytes'>

export class ModelLibrary {
  readonly dir: string
  readonly #db: Db
  readonly #clock: Clock
  /** Parsed models by id: a model is read once per session. */
  readonly #loaded = new Map<string, Model>()

  constructor(dir: string, db: Db, clock: Clock) {
    this.dir = dir
    this.#db = db
    this.#clock = clock
    mkdirSync(dir, { recursive: true })
  }

  list(): ModelEntry[] {
    const rows = this.#db.prepare(`SELECT id, name, file, added_at, info FROM models ORDER BY added_at DESC`).all() as Row[]
    const entries: ModelEntry[] = []
    for (const row of rows) {
      const path = join(this.dir, row.file)
      if (!existsSync(path)) {
        this.#db.prepare(`DELETE FROM models WHERE id = ?`).run(row.id)
        continue
      }
      entries.push(toEntry(row, statSync(path).size))
    }
    return entries
  }

  entry(id: string): ModelEntry {
    const row = this.#db.prepare(`SELECT id, name, file, added_at, info FROM models WHERE id = ?`).get(id) as Row | undefined
    const path = row && join(this.dir, row.file)
    if (!row || !path || !existsSync(path)) throw new ApiError('not_found', `No model ${id} in the library`)
    return toEntry(row, statSync(path).size)
  }

  /** Saves a freshly trained model into the library. */
  async add(model: Model, name?: string): Promise<ModelEntry> {
    const id = randomUUID()
    const file = `${id}.json`
    await saveModel(model, join(this.dir, file))
    this.#loaded.set(id, model)
    return this.#index(id, file, model, name)
  }

  /** Copies a model file into the library once it has been read and checked. */
  importFile(path: string, name?: string): ModelEntry {
    let text: string
    try {
      text = readFileSync(path, 'utf8')
    } catch (error) {
      throw new ApiError('not_found', `Cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`)
    }
    let model: Model
    try {
      model = parseModel(text, path)
    } catch (error) {
      throw new ApiError('invalid_params', error instanceof ModelFileError ? error.message : String(error))
    }
    const id = randomUUID()
    const file = `${id}.json`
    copyFileSync(path, join(this.dir, file))
    this.#loaded.set(id, model)
    return this.#index(id, file, model, name)
  }

  load(id: string): Model {
    const cached = this.#loaded.get(id)
    if (cached) return cached
    const path = this.path(id)
    let model: Model
    try {
      model = parseModel(readFileSync(path, 'utf8'), path)
    } catch (error) {
      throw new ApiError('invalid_params', error instanceof Error ? error.message : String(error))
    }
    this.#loaded.set(id, model)
    return model
  }

  /** The model's file, for export. */
  path(id: string): string {
    const file = this.#db.prepare(`SELECT file FROM models WHERE id = ?`).pluck().get(id) as string | undefined
    const path = file && join(this.dir, file)
    if (!path || !existsSync(path)) throw new ApiError('not_found', `No model ${id} in the library`)
    return path
  }

  rename(id: string, name: string): ModelEntry {
    const trimmed = name.trim()
    if (trimmed === '') throw new ApiError('invalid_params', 'A model needs a name')
    const changed = this.#db.prepare(`UPDATE models SET name = ? WHERE id = ?`).run(trimmed, id).changes
    if (changed === 0) throw new ApiError('not_found', `No model ${id} in the library`)
    return this.entry(id)
  }

  /** Removes a model from the library. Cases scored with it keep their own copy. */
  remove(id: string): boolean {
    const file = this.#db.prepare(`SELECT file FROM models WHERE id = ?`).pluck().get(id) as string | undefined
    if (file === undefined) return false
    this.#db.prepare(`DELETE FROM models WHERE id = ?`).run(id)
    rmSync(join(this.dir, file), { force: true })
    this.#loaded.delete(id)
    return true
  }

  #index(id: string, file: string, model: Model, name: string | undefined): ModelEntry {
    const info: ModelInfo = {
      createdAt: Date.parse(model.createdAt) || this.#clock.now(),
      mode: model.mode,
      sources: model.sources.map((s) => ({ path: s.path, lines: s.lines })),
      lines: model.totalLines,
      templates: model.templates.size,
      lineThreshold: model.settings.lineThreshold,
      falseAlarmRate: model.calibration.lineFalseAlarmRate
    }
    this.#db
      .prepare(`INSERT INTO models (id, name, file, added_at, info) VALUES (?, ?, ?, ?, ?)`)
      .run(id, name?.trim() || defaultModelName(model.mode, model.sources), file, this.#clock.now(), JSON.stringify(info))
    return this.entry(id)
  }
}

interface Row {
  id: string
  name: string
  file: string
  added_at: number
  info: string
}

function toEntry(row: Row, bytes: number): ModelEntry {
  const info = JSON.parse(row.info) as ModelInfo
  return { ...info, id: row.id, name: row.name, addedAt: row.added_at, bytes }
}
