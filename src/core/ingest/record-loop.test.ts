import { afterAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { RecordLoop } from './record-loop.ts'
import { openPackedSource } from './packed-records.ts'
import type { PackedBatch } from './packed-records.ts'
import { prepareScoring } from './scorer-spec.ts'
import { TemplateTally } from './miner-checkpoint.ts'
import { SessionKeyTable } from './session-key-table.ts'
import { writeSampleLog } from './testing/sample-log.ts'
import { BlockBuilder } from '../case/block-builder.ts'
import { trainModel } from '../model/train.ts'
import { saveModel } from '../model/model-file.ts'
import { sliceText } from '../read/batch-text.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-record-loop-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Every line's score and the flagged lines' reasons, the batches run through a fresh loop. */
async function scoreAll(batches: readonly PackedBatch[], modelPath: string): Promise<{ scores: number[]; anomalies: unknown[] }> {
  const scoring = await prepareScoring({ kind: 'model', path: modelPath }, join(dir, 'none.faultline'))
  const writer = new BlockBuilder()
  const miner = scoring.seedMiner?.()
  if (!miner) throw new Error('a model seeds the miner')
  const loop = new RecordLoop({ miner, times: new TemplateTally(), scorer: scoring.scorer, writer, sessionIds: new SessionKeyTable(), sessionLog: null })
  const scores: number[] = []
  const anomalies: unknown[] = []
  for (const batch of batches) {
    loop.line = 0
    for (let r = 0; r < batch.recordLines.length; ) r = loop.run(batch, r, 1 << 30, 1 << 30)
    const taken = loop.takeAnomalies()
    for (let i = 0; i < taken.count; i++) {
      anomalies.push({ lineNo: taken.lines[i], score: taken.scores[i], template: taken.templates[i], reasons: JSON.parse(taken.reasons[taken.reasonIds[i] as number] as string) as unknown })
    }
  }
  // The sealed blocks and the open one.
  for (const block of writer.take()) scores.push(...new Float32Array(block.scores.buffer, block.scores.byteOffset, block.scores.byteLength / 4))
  return { scores, anomalies }
}

describe('record loop', () => {
  it('scores a batch of bytes (params found by the addon, where it is built) as it scores the same batch as a string', async () => {
    const baseline = join(dir, 'baseline.log')
    const incident = join(dir, 'incident.log')
    await writeSampleLog(baseline, { lines: 20_000, seed: 3, fault: null })
    await writeSampleLog(incident, { lines: 8_000, seed: 4 })
    const modelPath = join(dir, 'model.json')
    await saveModel(await trainModel([baseline]), modelPath)
    const source = await openPackedSource(incident, {})
    const bytes: PackedBatch[] = []
    for await (const batch of source.batches) bytes.push(batch)
    expect(bytes.some((b) => typeof b.text !== 'string')).toBe(true)
    const strings = bytes.map((b) => ({ ...b, text: sliceText(b.text, 0, b.text.length) }))
    const fromBytes = await scoreAll(bytes, modelPath)
    const fromStrings = await scoreAll(strings, modelPath)
    expect(fromBytes.anomalies.length).toBeGreaterThan(0)
    expect(fromBytes).toEqual(fromStrings)
  })
})
