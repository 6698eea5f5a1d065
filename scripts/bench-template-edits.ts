/**
 * Template edit benchmark (issue #6 item 4): a generated incident is ingested into a case and a
 * model trained from its own lines (setup, not timed), then timed on this thread:
 *   - reading a template's parameters for the split popover (a sample of its lines);
 *   - splitting the commonest template with parameters on its least varied position (the
 *     blocks' template column rewritten, the index refreshed), then undoing it;
 *   - merging the two commonest templates (the derived model and the case edit), then undoing it;
 *   - the re-score each edit is followed by, in worker threads as the app runs it (2 threads).
 *   node scripts/bench-template-edits.ts [--lines 1000000]
 * Prints wall and CPU seconds (process.cpuUsage: user + system, this process, all threads).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { CaseStore } from '../src/core/case/case-store.ts'
import { runIngest } from '../src/core/ingest/run-ingest.ts'
import { writeSampleLog } from '../src/core/ingest/testing/sample-log.ts'
import { saveModel } from '../src/core/model/model-file.ts'
import type { Model } from '../src/core/model/model.ts'
import { trainModelFromCase } from '../src/core/model/train-case.ts'
import { rescoreInWorker } from '../src/core/rescore/rescore-job.ts'
import { mergedModel } from '../src/core/templates/merged-model.ts'
import { mergeTemplates, splitTemplate, undoTemplateEdit } from '../src/core/templates/template-edits.ts'
import { templateParams } from '../src/core/templates/template-params.ts'
import { timed as timedAt } from './bench-timing.ts'

const { values } = parseArgs({ options: { lines: { type: 'string', default: '1000000' } } })
const lines = Number(values.lines)
const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-template-edits-'))
const timed = <T>(label: string, run: () => T | Promise<T>): Promise<T> => timedAt(label, run, 52)

try {
  const incident = join(dir, 'incident.log')
  await writeSampleLog(incident, { lines, seed: 2 })
  const casePath = join(dir, 'bench.faultline')
  const ingest = await runIngest({ casePath, sourcePath: incident })
  console.log(`case: ${ingest.lines.toLocaleString('en-US')} lines ingested (setup, ${(ingest.elapsedMs / 1_000).toFixed(1)} s)`)
  const store = CaseStore.open(casePath)
  const rescore = async (label: string, model: Model): Promise<void> => {
    const modelPath = join(dir, `${Date.now()}.model.json`)
    await saveModel(model, modelPath)
    const result = await timed(`  re-score after it (2 worker threads)`, () => rescoreInWorker({ casePath, sourceId: 1, modelPath }))
    store.scoresChanged(1)
    console.log(`    ${label}: ${result.flagged.toLocaleString('en-US')} flagged (+${result.newlyFlagged}, −${result.cleared})`)
  }
  try {
    const model = await trainModelFromCase(store, 1, { mode: 'self' })
    await rescore('self-trained', model)
    store.index(1).templatePostings()

    const candidates = store.templates().filter((t) => t.text.includes('<*>'))
    let chosen: { id: number; text: string; count: number; position: number; distinct: number } | undefined
    for (const t of candidates.slice(0, 10)) {
      const params = await timed(`template parameters of #${t.id} (${t.count.toLocaleString('en-US')} lines)`, () => templateParams(store, 1, t.id))
      const position = params.positions.filter((p) => p.distinct >= 2).sort((a, b) => a.distinct - b.distinct)[0]
      if (position) {
        chosen = { id: t.id, text: t.text, count: t.count, position: position.position, distinct: position.distinct }
        break
      }
    }
    if (!chosen) throw new Error('no template to split')
    console.log(`split #${chosen.id} "${chosen.text}" on parameter ${chosen.position + 1} (${chosen.distinct} values in the sample)`)
    const split = await timed(`split (${chosen.count.toLocaleString('en-US')} lines read, column rewritten)`, () =>
      splitTemplate(store, 1, { templateId: chosen.id, position: chosen.position }, Date.now())
    )
    console.log(`    ${split.parts.length} new templates, ${split.parts.reduce((sum, p) => sum + p.count, 0).toLocaleString('en-US')} records moved`)
    await rescore('after the split', model)
    await timed('undo the split', () => undoTemplateEdit(store, 1, split.editId))
    await rescore('after undoing it', model)

    const [a, b] = store.templates()
    if (!a || !b) throw new Error('too few templates')
    const { model: merged, root } = await timed(`derive the merged model (#${a.id} + #${b.id})`, () => mergedModel(model, store, 1, a.id, [b.id]))
    const editId = await timed(`merge (${(a.count + b.count).toLocaleString('en-US')} lines)`, () => mergeTemplates(store, { into: a.id, from: [b.id], root }, Date.now()))
    await rescore('after the merge', merged)
    await timed('undo the merge', () => undoTemplateEdit(store, 1, editId))
    await rescore('after undoing it', model)
  } finally {
    store.close()
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
