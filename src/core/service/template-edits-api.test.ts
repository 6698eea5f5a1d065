import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CaseSummary, OpeningEvent, TemplateParamsView } from '../../shared/api/case-contract.ts'
import type { TrainingEvent } from '../../shared/api/model-contract.ts'
import { startService, until, writeLog } from './testing/api-harness.ts'

describe('template edits through the API', () => {
  it('merges two templates, splits one on a parameter and undoes each, re-scoring in the background', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-template-api-'))
    const { api } = startService(join(dir, 'data'))
    const baseline = writeLog(dir, 'quiet.log', { seed: 5, lines: 6_000, requestsPerSecond: 12, fault: null })
    const incident = writeLog(dir, 'incident.log', { seed: 6, lines: 6_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } })
    const opening: OpeningEvent[] = []
    const offOpening = api.on('case.opening', (event) => void opening.push(event))
    const opened = await api.request('case.open', { path: incident, baseline: [baseline] })
    offOpening()
    // Learning the baseline said so, and how far it had got, before the case existed.
    expect(opening[0]).toMatchObject({ path: incident, share: 0, message: expect.stringContaining('quiet.log') as unknown })
    expect(opening.at(-1)?.share).toBeGreaterThan(0.5)
    const caseId = opened.caseId
    await until<CaseSummary>(api, 'case.changed', (s) => s.caseId === caseId && s.sources[0]?.state === 'complete')
    const rescored = (): Promise<TrainingEvent> => until<TrainingEvent>(api, 'case.training', (e) => e.phase === 'done' || e.phase === 'failed')

    const before = (await api.request('case.templates', { caseId })).templates
    const [a, b] = before
    if (!a || !b) throw new Error('too few templates')
    let done = rescored()
    const merge = await api.request('case.mergeTemplates', { caseId, into: a.id, from: [b.id] })
    expect(merge).toMatchObject({ started: true, templates: [a.id] })
    // One edit at a time, like any re-score.
    await expect(api.request('case.undoTemplateEdit', { caseId, editId: merge.editId as number })).rejects.toThrow(/still being/)
    expect((await done).phase).toBe('done')
    const merged = (await api.request('case.templates', { caseId })).templates
    expect(merged.find((t) => t.id === b.id)).toBeUndefined()
    expect(merged.find((t) => t.id === a.id)?.count).toBe(a.count + b.count)
    const filtered = await api.request('case.filter', { caseId, sourceId: 1, filter: { templates: [a.id] } })
    expect(filtered.count).toBe(a.count + b.count)

    // Parameters to split on, then the split.
    let candidate: (typeof merged)[number] | undefined
    let position: TemplateParamsView['positions'][number] | undefined
    for (const t of merged.filter((t) => t.count > 50 && t.text.includes('<*>') && t.id !== a.id)) {
      const params = await api.request('case.templateParams', { caseId, templateId: t.id })
      position = params.positions.find((p) => p.distinct >= 2 && p.distinct <= 30)
      candidate = t
      if (position) break
    }
    if (!candidate || !position) throw new Error('no template to split')
    done = rescored()
    const split = await api.request('case.splitTemplate', { caseId, templateId: candidate.id, position: position.position })
    expect((await done).phase).toBe('done')
    const afterSplit = (await api.request('case.templates', { caseId })).templates
    for (const id of split.templates) {
      const text = afterSplit.find((t) => t.id === id)?.text ?? ''
      expect(text).not.toBe(candidate.text)
      expect(position.values.some((v) => text.includes(v.value))).toBe(true)
    }
    expect(afterSplit.length).toBe(merged.length + split.templates.length)
    expect((await api.request('case.templateEdits', { caseId })).edits.map((e) => e.kind)).toEqual(['merge', 'split'])

    // Undo: the last edit first.
    await expect(api.request('case.undoTemplateEdit', { caseId, editId: merge.editId as number })).rejects.toThrow(/only the last/)
    done = rescored()
    await api.request('case.undoTemplateEdit', { caseId, editId: split.editId as number })
    expect((await done).phase).toBe('done')
    done = rescored()
    await api.request('case.undoTemplateEdit', { caseId, editId: merge.editId as number })
    expect((await done).phase).toBe('done')
    const restored = (await api.request('case.templates', { caseId })).templates
    expect(restored.map((t) => [t.id, t.count]).sort()).toEqual(before.map((t) => [t.id, t.count]).sort())
    expect((await api.request('case.templateEdits', { caseId })).edits).toEqual([])
  }, 120_000)
})
