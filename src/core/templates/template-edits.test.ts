import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CaseStore } from '../case/case-store.ts'
import { parseCheckpoint, TemplateTally } from '../ingest/miner-checkpoint.ts'
import { runIngest, templateRows } from '../ingest/run-ingest.ts'
import { prepareScoring } from '../ingest/scorer-spec.ts'
import { TemplateMiner } from '../mine/index.ts'
import { saveModel } from '../model/model-file.ts'
import type { Model } from '../model/model.ts'
import { trainModel } from '../model/train.ts'
import { rescoreSource } from '../rescore/rescore-source.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { splitBaselines } from '../workspace/template-edits.ts'
import { mergedModel } from './merged-model.ts'
import { mergeTemplates, reapplyTemplateEdits, splitTemplate, templateEdits, undoTemplateEdit, withValue } from './template-edits.ts'
import { templateParams } from './template-params.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-template-edits-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let counter = 0
let model: Model
let modelPath: string
const incident = join(dir, 'incident.log')

function write(path: string, options: Parameters<typeof generateSample>[0]): void {
  writeFileSync(path, [...generateSample(options)].map((l) => l.text).join('\n') + '\n')
}

beforeAll(async () => {
  const baseline = join(dir, 'baseline.log')
  write(baseline, { seed: 1, lines: 10_000, requestsPerSecond: 12, fault: null })
  write(incident, { seed: 2, lines: 10_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } })
  model = await trainModel([baseline])
  modelPath = join(dir, 'baseline.model.json')
  await saveModel(model, modelPath)
}, 60_000)

async function ingested(): Promise<string> {
  const casePath = join(dir, `case-${++counter}.faultline`)
  await runIngest({ casePath, sourcePath: incident }, await prepareScoring({ kind: 'model', path: modelPath }, join(dir, 'none')))
  return casePath
}

const column = (store: CaseStore): number[] => Array.from(store.index(1).templates.subarray(0, store.index(1).length))
const scores = (store: CaseStore): number[] => store.lines(1, 1, store.source(1)?.lines ?? 0).map((l) => l.score)
const countOf = (store: CaseStore, id: number): number | undefined => store.templates().find((t) => t.id === id)?.count
const total = (store: CaseStore): number => store.templates().reduce((sum, t) => sum + t.count, 0)

/** What an append to the case does to the table: every row written again from the miner and its tally. */
function appendRewrite(store: CaseStore): void {
  const checkpoint = parseCheckpoint(store.minerState() as string)
  store.putTemplates(templateRows(TemplateMiner.fromSnapshot(checkpoint.miner), TemplateTally.from(checkpoint), checkpoint.miner.clusters.length))
}

const byId = (list: readonly { id: number; text: string; count: number }[]): unknown[] =>
  list.map((t) => [t.id, t.text, t.count]).sort((x, y) => (x[0] as number) - (y[0] as number))

/** A template whose parameter shows a few values, the commonest of them seen in the baseline. */
function splittable(store: CaseStore): { templateId: number; position: number; values: string[] } {
  for (const t of store.templates()) {
    if (t.count < 50 || !t.baselineCount) continue
    const params = templateParams(store, 1, t.id)
    const position = params.positions.find((p) => p.distinct >= 2 && p.distinct <= 8)
    if (position) return { templateId: t.id, position: position.position, values: position.values.map((v) => v.value) }
  }
  throw new Error('the sample has no template to split')
}

describe('template edits', () => {
  it('replaces a parameter position with a value', () => {
    expect(withValue(['GET', '<*>', 'took', '<*>ms'], 1, '12').join(' ')).toBe('GET <*> took 12ms')
    expect(withValue(['a=<*>,b=<*>'], 1, 'x')).toEqual(['a=<*>,b=x'])
  })

  it('splits a template on a parameter: rows, lines, filters and the reopened case follow; scores stay; undo restores', async () => {
    const casePath = await ingested()
    let store = CaseStore.open(casePath)
    try {
      const { templateId, position, values } = splittable(store)
      const columnBefore = column(store)
      const scoresBefore = scores(store)
      const lines = store.source(1)?.lines ?? 0
      const totalBefore = total(store)
      const countBefore = countOf(store, templateId) as number
      const inTemplate = store.filter(1, { templates: [templateId] })

      const { parts } = splitTemplate(store, 1, { templateId, position }, 1_000)
      expect(parts.map((p) => p.value)).toEqual(values.slice(0, parts.length))
      const text = store.templates().find((t) => t.id === templateId)?.text as string
      for (const part of parts) expect(store.templates().find((t) => t.id === part.id)?.text).toBe(withValue(text.split(' '), position, part.value).join(' '))
      // Every record is counted once still; the template keeps only the values not split off.
      expect(total(store)).toBe(totalBefore)
      expect(countOf(store, templateId)).toBe(countBefore - parts.reduce((sum, p) => sum + p.count, 0))
      const byPart = parts.map((p) => store.filter(1, { templates: [p.id] }))
      const rest = store.filter(1, { templates: [templateId] })
      expect(byPart.reduce((sum, l) => sum + l.length, rest.length)).toBe(inTemplate.length)
      const first = [...(byPart[0] ?? [])]
      expect(store.lines(1, first[0] as number, 1)[0]?.template).toBe(parts[0]?.id)
      // The timeline's block summaries know the new templates.
      expect(store.index(1).blocks.some((b) => b.templates.includes(parts[0]?.id as number))).toBe(true)

      // Same model: the split lines are judged as before (their values were in the baseline).
      await rescoreSource(store, 1, model)
      expect(scores(store)).toEqual(scoresBefore)
      splitBaselines(store, model)
      for (const part of parts) expect(store.templates().find((t) => t.id === part.id)?.baselineCount).toBeGreaterThan(0)

      // An append to the case rewrites the table from the miner: the split rows are put back.
      const rows = store.templates()
      appendRewrite(store)
      expect(store.templates().length).toBeLessThan(rows.length)
      reapplyTemplateEdits(store)
      expect(byId(store.templates())).toEqual(byId(rows))

      store.close()
      store = CaseStore.open(casePath)
      expect([...store.filter(1, { templates: [parts[0]?.id as number] })]).toEqual(first)
      expect(templateEdits(store)).toMatchObject([{ kind: 'split', payload: { templateId, position } }])

      undoTemplateEdit(store, 1, (templateEdits(store)[0] as { id: number }).id)
      expect(column(store)).toEqual(columnBefore)
      expect(countOf(store, templateId)).toBe(countBefore)
      expect(store.templates().some((t) => parts.some((p) => p.id === t.id))).toBe(false)
      expect(store.filter(1, { templates: [templateId] })).toEqual(inTemplate)
      expect(store.source(1)?.lines).toBe(lines)
      expect(templateEdits(store)).toEqual([])
    } finally {
      store.close()
    }
  })

  it('merges templates: one row, filters and the miner follow, the model judges the merged lines as one template; undo restores', async () => {
    const casePath = await ingested()
    let store = CaseStore.open(casePath)
    try {
      // A template the baseline never saw, merged into one it knows with as many words.
      const all = store.templates()
      const unseen = all.find((t) => t.baselineCount === 0 && t.count >= 3) as (typeof all)[number]
      const words = unseen.text.split(' ').length
      const known = all.find((t) => (t.baselineCount ?? 0) > 0 && t.text.split(' ').length === words) ?? (all.find((t) => (t.baselineCount ?? 0) > 0) as (typeof all)[number])
      const unseenLines = [...store.filter(1, { templates: [unseen.id] })]
      const knownLines = store.filter(1, { templates: [known.id] })
      const scoresBefore = scores(store)
      const flaggedNew = (s: CaseStore): number =>
        (s.db.prepare(`SELECT line_no, reasons FROM anomaly_reasons WHERE source_id = 1`).all() as { line_no: number; reasons: string }[]).filter(
          (r) => unseenLines.includes(r.line_no) && r.reasons.includes('never seen in baseline')
        ).length
      expect(flaggedNew(store)).toBeGreaterThan(0)

      // Kept: the unseen one (the user's choice); the miner's root: the one the model knows.
      const { model: merged, root } = mergedModel(model, store, 1, unseen.id, [known.id])
      expect(merged).not.toBe(model)
      expect(root).toBe(known.id)
      const editId = mergeTemplates(store, { into: unseen.id, from: [known.id], root }, 2_000)
      expect(store.templates().find((t) => t.id === known.id)).toBeUndefined()
      expect(countOf(store, unseen.id)).toBe(known.count + unseen.count)
      expect(store.filter(1, { templates: [unseen.id] }).length).toBe(unseenLines.length + knownLines.length)
      const miner = TemplateMiner.fromSnapshot(parseCheckpoint(store.minerState() as string).miner)
      expect(miner.resolve(unseen.id)).toBe(known.id)

      await rescoreSource(store, 1, merged)
      expect(flaggedNew(store)).toBe(0)
      // The merged template is known to the model now: its baseline count is the pooled one.
      expect(store.templates().find((t) => t.id === unseen.id)?.baselineCount).toBe(merged.templates.get(known.id)?.count)
      // An append rewrites the table from the miner, whose root is the known one; the user's row is put back.
      const rows = store.templates()
      appendRewrite(store)
      expect(store.templates().find((t) => t.id === unseen.id)).toBeUndefined()
      reapplyTemplateEdits(store)
      expect(byId(store.templates())).toEqual(byId(rows))

      store.close()
      store = CaseStore.open(casePath)
      expect(store.templates().find((t) => t.id === known.id)).toBeUndefined()
      expect(countOf(store, unseen.id)).toBe(known.count + unseen.count)

      undoTemplateEdit(store, 1, editId)
      expect(countOf(store, unseen.id)).toBe(unseen.count)
      expect(countOf(store, known.id)).toBe(known.count)
      expect([...store.filter(1, { templates: [unseen.id] })]).toEqual(unseenLines)
      await rescoreSource(store, 1, model)
      expect(scores(store)).toEqual(scoresBefore)
    } finally {
      store.close()
    }
  })

  it('keeps case ids model ids when the model was retrained with the case miner as seed and knows more templates', async () => {
    const store = CaseStore.open(await ingested())
    try {
      const other = join(dir, 'other-baseline.log')
      // A baseline with templates the incident never shows.
      const text = [...generateSample({ seed: 9, lines: 4_000, requestsPerSecond: 12, fault: null })].map((l, i) => (i % 10 === 0 ? `${l.text} extra words ${i % 3}` : l.text))
      writeFileSync(other, text.join('\n') + '\n')
      const seedMiner = parseCheckpoint(store.minerState() as string).miner
      const retrained = await trainModel([other], { seedMiner })
      expect(retrained.minerSnapshot.clusters.length).toBeGreaterThan(seedMiner.clusters.length)
      const { templateId, position } = splittable(store)
      const { parts } = splitTemplate(store, 1, { templateId, position, modelMiner: retrained.minerSnapshot }, 1)
      expect(parts[0]?.id).toBeGreaterThanOrEqual(retrained.minerSnapshot.clusters.length)
      expect((await rescoreSource(store, 1, retrained)).sameTemplates).toBe(true)
    } finally {
      store.close()
    }
  })

  it('undoes only the last edit, and refuses bad requests', async () => {
    const store = CaseStore.open(await ingested())
    try {
      const [a, b, c] = store.templates()
      if (!a || !b || !c) throw new Error('too few templates')
      expect(() => mergeTemplates(store, { into: a.id, from: [a.id] }, 1)).toThrow(/itself/)
      expect(() => mergeTemplates(store, { into: a.id, from: [999_999] }, 1)).toThrow(/no template/)
      const first = mergeTemplates(store, { into: a.id, from: [b.id] }, 1)
      expect(() => mergeTemplates(store, { into: c.id, from: [b.id] }, 1)).toThrow(/merged into/)
      mergeTemplates(store, { into: a.id, from: [c.id] }, 2)
      expect(() => undoTemplateEdit(store, 1, first)).toThrow(/only the last/)
    } finally {
      store.close()
    }
  })
})
