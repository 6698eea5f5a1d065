import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { generateSample } from '../sample/sample-incident.ts'
import { loadModel, ModelFileError, saveModel, serializeModel } from './model-file.ts'
import { localReader, readerThread } from '../ingest/reader-side.ts'
import { defaultReaderWorker } from '../ingest/start-ingest.ts'
import type { Model } from './model.ts'
import { scanFile } from './scan.ts'
import type { LineResult } from './scan.ts'
import { trainModel } from './train.ts'
import { defaultTrainWorker, trainInWorker } from './train-job.ts'
import { writeSampleLog } from '../ingest/testing/sample-log.ts'
import { threadExits } from '../testing/thread-exits.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-model-'))
const baselinePath = join(dir, 'baseline.log')
const incidentPath = join(dir, 'incident.log')
const injected = new Set<number>()
let model: Model

beforeAll(async () => {
  const write = (path: string, options: Parameters<typeof generateSample>[0]): void => {
    const lines: string[] = []
    for (const line of generateSample(options)) {
      lines.push(line.text)
      if (line.injected && path === incidentPath) injected.add(lines.length)
    }
    writeFileSync(path, lines.join('\n') + '\n')
  }
  write(baselinePath, { seed: 1, lines: 12_000, requestsPerSecond: 12, fault: null })
  write(incidentPath, { seed: 2, lines: 12_000, requestsPerSecond: 12, fault: { startAt: 0.3, length: 0.3 } })
  model = await trainModel([baselinePath], { now: () => new Date('2026-01-01T00:00:00Z') })
}, 60_000)

async function scan(active: Model | null): Promise<{ lines: LineResult[]; result: Awaited<ReturnType<typeof scanFile>> }> {
  const lines: LineResult[] = []
  const result = await scanFile(incidentPath, active, { onBatch: (batch) => void lines.push(...batch) })
  return { lines, result }
}

describe('training and scanning', () => {
  it('learns the baseline: templates, a session key, provenance and a false-alarm rate', () => {
    expect(model.mode).toBe('baseline')
    expect(model.templates.size).toBeGreaterThan(15)
    expect(model.sessionKey?.name).toMatch(/trace/)
    expect(model.sources[0]).toMatchObject({ path: baselinePath, lines: 12_000 })
    expect(model.sources[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(model.calibration.lineFalseAlarmRate).toBeLessThan(0.01)
  })

  it('learns the same model with lines read on a reader thread, over several files', async () => {
    const now = (): Date => new Date('2026-01-01T00:00:00Z')
    const reader = readerThread(defaultReaderWorker)
    try {
      const threaded = await trainModel([baselinePath, incidentPath], { now, reader })
      const here = await trainModel([baselinePath, incidentPath], { now, reader: localReader })
      expect(threaded.sources.map((s) => s.lines)).toEqual([12_000, 12_000])
      expect(serializeModel(threaded)).toBe(serializeModel(here))
    } finally {
      reader.close()
    }
  })

  it('trains in a worker with a reader thread beside it, as the app does', async () => {
    const out = join(dir, 'worker.model.json')
    let readers = 0
    const createReaderWorker: typeof defaultReaderWorker = (data, transfer) => {
      readers++
      return defaultReaderWorker(data, transfer)
    }
    const shares: number[] = []
    await trainInWorker({ paths: [baselinePath], out, options: {} }, { readerThread: true, createReaderWorker }, undefined, (share) => shares.push(share))
    expect(readers).toBe(1)
    // Progress for a bar: rising, and most of the way by the time the model is built.
    expect(shares.length).toBeGreaterThan(2)
    expect(shares).toEqual([...shares].sort((a, b) => a - b))
    expect(shares.at(-1)).toBeGreaterThan(0.9)
    expect(shares.at(-1)).toBeLessThanOrEqual(1)
    const trained = await loadModel(out)
    expect(trained.totalLines).toBe(model.totalLines)
    expect(trained.templates.size).toBe(model.templates.size)
    expect(trained.sources).toEqual(model.sources)
    expect(trained.sessionKey?.name).toBe(model.sessionKey?.name)
  })

  it('a cancelled training stops its threads, which exit by themselves, and writes no model', async () => {
    const big = join(dir, 'big-baseline.log')
    await writeSampleLog(big, { lines: 100_000, seed: 7, fault: null })
    const out = join(dir, 'cancelled.model.json')
    const exits = threadExits()
    const controller = new AbortController()
    const factories = { readerThread: true, createTrainWorker: exits.track(defaultTrainWorker), createReaderWorker: exits.track(defaultReaderWorker) }
    await expect(trainInWorker({ paths: [big], out, options: {} }, factories, controller.signal, () => controller.abort())).rejects.toThrow(/training cancelled/)
    expect(await exits.ends()).toEqual(['exited', 'exited'])
    expect(existsSync(out)).toBe(false)
  }, 60_000)

  it('flags the injected outage with a baseline and almost nothing else', async () => {
    const { lines, result } = await scan(model)
    const flagged = lines.filter((l) => l.anomaly)
    const hits = flagged.filter((l) => injected.has(l.line)).length
    const injectedRecords = lines.filter((l) => injected.has(l.line)).length
    expect(hits / injectedRecords).toBeGreaterThan(0.95)
    expect((flagged.length - hits) / lines.length).toBeLessThan(0.005)
    const worst = result.sessions.filter((s) => s.anomaly)
    expect(worst.length).toBeGreaterThan(0)
    expect(worst.some((s) => s.reasons.some((r) => r.includes('Could not acquire DB connection')))).toBe(true)
  }, 60_000)

  it('finds the outage self-trained too, with reasons', async () => {
    const { lines } = await scan(null)
    const flagged = lines.filter((l) => l.anomaly)
    expect(flagged.length).toBeGreaterThan(0)
    expect(flagged.filter((l) => injected.has(l.line)).length / flagged.length).toBeGreaterThan(0.9)
    expect(flagged.every((l) => l.reasons.length > 0)).toBe(true)
  }, 60_000)

  it('falls back to time windows when lines carry no session id: bursts and silences', async () => {
    const noIds = await trainModel([baselinePath], { sessionKey: 'no-such-id=(\\d+)' })
    const result = await scanFile(incidentPath, noIds, { sessionKey: 'no-such-id=(\\d+)' })
    const flagged = result.sessions.filter((s) => s.anomaly)
    expect(result.sessions.every((s) => s.id.startsWith('window '))).toBe(true)
    expect(flagged.length).toBeGreaterThan(0)
    expect(flagged.flatMap((s) => s.reasons).some((r) => r.startsWith("burst: 'Could not acquire DB connection"))).toBe(true)
  }, 60_000)

  it('scores the same after a save and load', async () => {
    const path = join(dir, 'model.json')
    await saveModel(model, path)
    const loaded = await loadModel(path)
    const before = await scan(model)
    const after = await scan(loaded)
    expect(after.lines.map((l) => l.score)).toEqual(before.lines.map((l) => l.score))
  }, 60_000)

  it('refuses a damaged, foreign or newer model file with a clear error', async () => {
    const path = join(dir, 'model.json')
    await saveModel(model, path)
    const text = readFileSync(path, 'utf8')
    const tampered = join(dir, 'tampered.json')
    writeFileSync(tampered, text.replace('"lineThreshold":0.5', '"lineThreshold":0.9'))
    await expect(loadModel(tampered)).rejects.toThrow(/damaged: its checksum/)
    const truncated = join(dir, 'truncated.json')
    writeFileSync(truncated, text.slice(0, text.length / 2))
    await expect(loadModel(truncated)).rejects.toThrow(/not valid JSON/)
    const foreign = join(dir, 'foreign.json')
    writeFileSync(foreign, JSON.stringify({ name: 'some other tool' }))
    await expect(loadModel(foreign)).rejects.toThrow(ModelFileError)
    const newer = join(dir, 'newer.json')
    writeFileSync(newer, text.replace('"schemaVersion":1', '"schemaVersion":7'))
    await expect(loadModel(newer)).rejects.toThrow(/newer Faultline/)
    await expect(loadModel(join(dir, 'missing.json'))).rejects.toThrow(/Cannot read model/)
  })
})
