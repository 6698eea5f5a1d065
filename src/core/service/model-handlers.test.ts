import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import type { TrainingEvent } from '../../shared/api/model-contract.ts'
import { startService, until, writeLog } from './testing/api-harness.ts'

describe('models through the API', () => {
  it('retrains a case on a baseline file, keeps the model in the library, and re-scores with a chosen one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-models-api-'))
    const { core, api } = startService(join(dir, 'data'))
    const baseline = writeLog(dir, 'quiet.log', { seed: 5, lines: 6_000, requestsPerSecond: 12, fault: null })
    const incident = writeLog(dir, 'incident.log', { seed: 6, lines: 6_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } })

    const opened = await api.request('case.open', { path: incident })
    await until<CaseSummary>(api, 'case.changed', (s) => s.caseId === opened.caseId && s.revision === 1 && !s.scoring)
    expect((await api.request('models.list')).models).toEqual([])

    const phases: TrainingEvent['phase'][] = []
    const trainingShares: number[] = []
    api.on('case.training', (event) => {
      phases.push(event.phase)
      if (event.phase === 'training' && event.share !== null) trainingShares.push(event.share)
    })
    const done = until<TrainingEvent>(api, 'case.training', (e) => e.phase === 'done' || e.phase === 'failed')
    expect(await api.request('case.retrain', { caseId: opened.caseId, baseline: { kind: 'files', paths: [baseline] } })).toEqual({ started: true })
    // One at a time: a second request while it runs is refused with the reason.
    await expect(api.request('case.retrain', { caseId: opened.caseId, baseline: { kind: 'files', paths: [baseline] } })).rejects.toThrow(/still being/)
    const finished = await done
    expect(finished.phase).toBe('done')
    expect(finished.change?.newlyFlagged).toBeGreaterThan(0)
    expect(phases[0]).toBe('training')
    expect(phases).toContain('scoring')
    // Reading the baseline file shows how far it has got.
    expect(trainingShares.length).toBeGreaterThan(1)
    expect(trainingShares.at(-1)).toBeGreaterThan(0.5)

    const { models } = await api.request('models.list')
    expect(models).toHaveLength(1)
    expect(models[0]).toMatchObject({ name: 'quiet.log', mode: 'baseline', sources: [{ path: baseline }] })
    const summary = await api.request('case.summary', { caseId: opened.caseId })
    expect(summary.model).toMatchObject({ name: 'quiet.log', libraryId: models[0]?.id, mode: 'baseline' })

    // The model file can be exported (a download handle, served by the web host) and renamed.
    const download = await api.request('models.export', { id: models[0]?.id as string })
    expect(download.name).toBe('quiet.log.faultline-model.json')
    expect(JSON.parse(readFileSync(core.downloads.get(download.id)?.path as string, 'utf8'))).toMatchObject({ format: 'faultline-model' })
    expect((await api.request('models.rename', { id: models[0]?.id as string, name: 'quiet week' })).name).toBe('quiet week')

    // Back to a model of the library: re-scored in place again.
    const selfTrained = await api.request('case.retrain', { caseId: opened.caseId, baseline: { kind: 'lines', sourceId: 1, fromLine: 1, toLine: 2_000 } })
    expect(selfTrained.started).toBe(true)
    await until<TrainingEvent>(api, 'case.training', (e) => e.phase === 'done')
    expect((await api.request('models.list')).models).toHaveLength(2)
    const used = until<TrainingEvent>(api, 'case.training', (e) => e.phase === 'done')
    await api.request('case.useModel', { caseId: opened.caseId, modelId: models[0]?.id as string })
    expect((await used).message).toContain('quiet week')
    expect((await api.request('case.summary', { caseId: opened.caseId })).model).toMatchObject({ name: 'quiet week', libraryId: models[0]?.id })

    // Without a desktop shell there is no save dialog: the browser downloads instead.
    await expect(api.request('app.saveDownload', { id: download.id })).rejects.toThrow(/browser/)
  }, 120_000)
})
