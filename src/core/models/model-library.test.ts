import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ApiError } from '../../shared/api/errors.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { openAppDb } from '../store/app-db.ts'
import { saveModel } from '../model/model-file.ts'
import type { Model } from '../model/model.ts'
import { trainModel } from '../model/train.ts'
import { ModelLibrary } from './model-library.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-library-'))
let model: Model

beforeAll(async () => {
  const path = join(dir, 'baseline.log')
  writeFileSync(path, [...generateSample({ seed: 3, lines: 3_000, requestsPerSecond: 12, fault: null })].map((l) => l.text).join('\n') + '\n')
  model = await trainModel([path], { now: () => new Date('2026-03-01T00:00:00Z') })
}, 60_000)

function library(dataDir = mkdtempSync(join(tmpdir(), 'faultline-library-data-'))): { library: ModelLibrary; dataDir: string } {
  const db = openAppDb(dataDir)
  return { library: new ModelLibrary(join(dataDir, 'models'), db.db, { now: () => 1_000 }), dataDir }
}

describe('the model library', () => {
  it('lists a saved model with what it learnt from, without loading it again', async () => {
    const { library: lib, dataDir } = library()
    const entry = await lib.add(model)
    expect(entry).toMatchObject({
      name: 'baseline.log',
      mode: 'baseline',
      createdAt: Date.parse('2026-03-01T00:00:00Z'),
      addedAt: 1_000,
      lines: model.totalLines,
      templates: model.templates.size,
      lineThreshold: model.settings.lineThreshold
    })
    expect(entry.sources).toEqual([{ path: join(dir, 'baseline.log'), lines: model.totalLines }])
    expect(entry.bytes).toBeGreaterThan(0)
    // A second library over the same folder (the next app start) sees it and loads it.
    const again = library(dataDir).library
    expect(again.list().map((e) => e.id)).toEqual([entry.id])
    expect(again.load(entry.id).templates.size).toBe(model.templates.size)
  })

  it('renames and removes, and refuses an empty name', async () => {
    const { library: lib } = library()
    const entry = await lib.add(model, 'checkout, Tuesday')
    expect(lib.rename(entry.id, '  quiet week ').name).toBe('quiet week')
    expect(() => lib.rename(entry.id, ' ')).toThrow(ApiError)
    expect(lib.remove(entry.id)).toBe(true)
    expect(lib.list()).toEqual([])
    expect(() => lib.load(entry.id)).toThrow(/No model/)
  })

  it('imports a model file after checking it, and refuses a damaged one with the reason', async () => {
    const { library: lib } = library()
    const good = join(dir, 'exported.json')
    await saveModel(model, good)
    expect(lib.importFile(good, 'imported').name).toBe('imported')
    const bad = join(dir, 'damaged.json')
    writeFileSync(bad, '{"format":"faultline-model","schemaVersion":1,"checksum":"x","model":{}}')
    expect(() => lib.importFile(bad)).toThrow(/damaged/)
    expect(() => lib.importFile(join(dir, 'missing.json'))).toThrow(/Cannot read/)
    expect(lib.list()).toHaveLength(1)
  })
})
