/**
 * The investigations open in this engine, and every request the viewer makes of them. Opening a
 * log creates a case file in the data folder and ingests into it in the background; progress and
 * completion go out as events. The bundled sample opens the same way, scored against its own
 * known-good baseline.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import type { MessagePort, Worker } from 'node:worker_threads'
import { basename, join } from 'node:path'
import type {
  CaseSummary,
  IngestProgressEvent,
  OpeningEvent,
  SessionRowView,
  SessionSummaryView,
  SourceSummary,
  SourceViewLine,
  TemplateEditView,
  TemplateParamsView,
  TemplateRowView,
  ViewLine
} from '../../shared/api/case-contract.ts'
import { listSessions, sessionSummary } from '../case/session-store.ts'
import type { SessionQuery } from '../case/session-store.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { LineFilter } from '../../shared/case/line-filter.ts'
import type { LineList } from '../case/line-list.ts'
import { filterLinesAsync } from '../case/filter-lines.ts'
import { CaseStore } from '../case/case-store.ts'
import { startTextIndex } from '../case/text-index-job.ts'
import type { TextIndexWorkerData } from '../case/text-index-job.ts'
import { timeBuckets, timeRange } from '../case/time-buckets.ts'
import type { Logger } from '../diagnostics/logger.ts'
import { IngestThreadsAhead } from '../ingest/threads-ahead.ts'
import type { IngestJob, IngestSummary, IngestWorkerFactories, ScorerSpec } from '../ingest/index.ts'
import { loadModel, parseModel, saveModel } from '../model/model-file.ts'
import { checkTextFile, NotTextError } from '../read/sniff-text.ts'
import { trainInWorker } from '../model/train-job.ts'
import type { CaseSelection, TrainWorkerData } from '../model/train-job.ts'
import { rescoreInWorker } from '../rescore/rescore-job.ts'
import type { RescoreWorkerData } from '../rescore/rescore-job.ts'
import type { RescoreResult } from '../rescore/rescore-source.ts'
import { markNormal, normalMarks, unmarkNormal, withFeedback } from '../rescore/feedback.ts'
import type { NormalMark, NormalTarget } from '../rescore/feedback.ts'
import type { Model } from '../model/model.ts'
import type { ModelLibrary } from '../models/model-library.ts'
import type { BaselineChoice, ComparisonView, NormalTargetView, RescoreChange, TrainingEvent } from '../../shared/api/model-contract.ts'
import { caseTemplateCounts } from '../compare/case-counts.ts'
import { baselineCounts } from '../compare/index.ts'
import { compareTemplates } from '../../shared/compare/index.ts'
import type { CompareRow } from '../../shared/compare/index.ts'
import { defaultModelName } from '../../shared/models/model-entry.ts'
import type { Clock } from '../service/deps.ts'
import type { LiveAlertView } from '../../shared/api/live-contract.ts'
import { startLiveFollow } from './live-follow.ts'
import { bookmarks, exportToFile, reportForClipboard, setBookmark } from './case-export.ts'
import type { BookmarkView, ExportFormatView } from '../../shared/api/export-contract.ts'
import type { ExportStats } from '../export/index.ts'
import { KeptFilters } from './kept-filters.ts'
import { interleave } from '../case/interleave.ts'
import type { StoredLine } from '../case/block-reader.ts'
import type { Interleaving } from '../case/interleave.ts'
import type { OpenCase } from './open-case.ts'
import { toViewLine } from './view-lines.ts'
import { applyTemplateEdit, splitBaselines, templateEditViews, templateParamsView } from './template-edits.ts'
import type { TemplateEditRequest } from './template-edits.ts'

export interface WorkspaceDeps {
  dataDir: string
  /** Where the bundled sample lives (resources/sample). */
  sampleDir: string
  clock: Clock
  log: Logger
  onProgress: (event: IngestProgressEvent) => void
  onChanged: (summary: CaseSummary) => void
  /** A case was opened (for the recent list). */
  onOpened?: ((path: string, title: string) => void) | undefined
  /** A case file was replaced and deleted (for the recent list). */
  onForgotten?: ((path: string) => void) | undefined
  /** The Electron bundle's worker factories; Node runs the default ones. */
  workers?: EngineWorkers | undefined
  /** Start the first ingest's threads at once, not after a quiet second (an app: its first ingest soon follows). */
  ingestThreadsAtStart?: boolean | undefined
  /** Where retrained models go, and where `useModel` finds them. */
  library?: ModelLibrary | undefined
  /** Training and re-scoring news (`case.training`). */
  onTraining?: ((event: TrainingEvent) => void) | undefined
  /** How far learning the baseline of a case being opened has got (`case.opening`). */
  onOpening?: ((event: OpeningEvent) => void) | undefined
  /** Lines of a followed file that were flagged (`case.alerts`). */
  onAlerts?: ((caseId: string, sourceId: number, alerts: LiveAlertView[]) => void) | undefined
}

/** Every worker thread the engine starts, for a bundle that cannot run the .ts entries. */
export type EngineWorkers = IngestWorkerFactories & {
  createTextIndexWorker?: ((workerData: TextIndexWorkerData) => Worker) | undefined
  createTrainWorker?: ((workerData: TrainWorkerData, transferList: MessagePort[]) => Worker) | undefined
  /** Both roles of rescore-worker.ts. */
  createRescoreWorker?: ((workerData: RescoreWorkerData) => Worker) | undefined
}

/** What a case is retrained on: baseline files, or a part of its own first source judged normal. */
export type RetrainSpec = { readonly baseline: readonly string[] } | { readonly normal: CaseSelection }

const defaultThreshold = 0.5
const sampleTitle = 'Sample incident (web shop, payments outage)'

export class Workspace {
  readonly #deps: WorkspaceDeps
  readonly #cases = new Map<string, OpenCase>()
  #nextId = 1
  #nextFilter = 1
  /** Each open case's sources interleaved by time, as of the sources' line counts in `key`. */
  readonly #interleavings = new WeakMap<OpenCase, { key: string; order: Interleaving }>()

  /** The next ingest's threads, started ahead while nothing runs (see threads-ahead.ts). */
  readonly #ingestThreads: IngestThreadsAhead

  constructor(deps: WorkspaceDeps) {
    this.#deps = deps
    this.#ingestThreads = new IngestThreadsAhead(deps.workers, undefined, deps.ingestThreadsAtStart === true ? 0 : undefined)
  }

  get casesDir(): string {
    const dir = join(this.#deps.dataDir, 'cases')
    mkdirSync(dir, { recursive: true })
    return dir
  }

  /** Opens the bundled sample incident, scored against its known-good baseline. */
  async openSample(): Promise<CaseSummary> {
    const path = join(this.casesDir, 'sample-incident.faultline')
    const existing = this.#findByPath(path)
    if (existing) return this.summary(existing.id)
    const modelPath = `${path}.model.json`
    if (existsSync(path) && existsSync(modelPath)) {
      const store = CaseStore.open(path)
      const source = store.sources()[0]
      if (source && source.state === 'complete') {
        return this.summary(this.#register(store, sampleTitle, await loadModel(modelPath)).id)
      }
      store.close()
    }
    return this.#openNew({
      logPath: join(this.#deps.sampleDir, 'incident.log.gz'),
      casePath: path,
      baseline: [join(this.#deps.sampleDir, 'baseline.log.gz')],
      title: sampleTitle,
      replace: true
    })
  }

  /** Opens an existing case file as it is; an ingest a crash interrupted goes on. */
  async reopen(path: string): Promise<CaseSummary> {
    const existing = this.#findByPath(path)
    if (existing) return this.summary(existing.id)
    let store: CaseStore
    try {
      store = CaseStore.open(path)
    } catch (error) {
      throw new ApiError('invalid_params', error instanceof Error ? error.message : String(error))
    }
    const saved = store.activeModel()
    const model = saved ? parseModel(saved.snapshot, `the model stored in ${path}`) : null
    const source = store.sources()[0]
    const open = this.#register(store, source?.name ?? basename(path), model)
    // The scores were made with the recorded model plus the case's "normal" marks.
    if (model && source?.state === 'complete') open.model = withFeedback(model, store, source.id)
    if (source && (source.state === 'ingesting' || source.state === 'partial')) {
      this.#deps.log.info('workspace', `${path}: resuming the ingest of ${source.path} at line ${source.lines + 1}`)
      this.#ingest(open, { resumeSourceId: source.id }, source.path)
    } else if (source?.state === 'complete') this.#indexText(open, source.id)
    return this.summary(open.id)
  }

  /** `anyway`: read the log even though it does not look like text (the user insisted). */
  async openLog(logPath: string, baseline: readonly string[], options: { anyway?: boolean } = {}): Promise<CaseSummary> {
    await checkReadableFile(logPath, options.anyway)
    for (const file of baseline) await checkReadableFile(file)
    const stamp = new Date(this.#deps.clock.now()).toISOString().replace(/[:.]/g, '-')
    const casePath = join(this.casesDir, `${basename(logPath).replace(/[^\w.-]+/g, '_')}-${stamp}.faultline`)
    return this.#openNew({ logPath, casePath, baseline, title: basename(logPath), replace: false, anyway: options.anyway })
  }

  async #openNew(options: { logPath: string; casePath: string; baseline: readonly string[]; title: string; replace: boolean; anyway?: boolean | undefined }): Promise<CaseSummary> {
    const { log } = this.#deps
    let model: Model | null = null
    let scorer: ScorerSpec | undefined
    const modelPath = `${options.casePath}.model.json`
    if (options.baseline.length > 0) {
      log.info('workspace', `training on ${options.baseline.join(', ')}`)
      const message = `Learning what normal looks like from ${options.baseline.map((path) => basename(path)).join(', ')}…`
      // The training worker reports in steps of a hundredth at most.
      const opening = (share: number): void => this.#deps.onOpening?.({ path: options.logPath, message, share })
      opening(0)
      // In a worker: this thread keeps answering the UI meanwhile.
      try {
        await trainInWorker({ paths: [...options.baseline], out: modelPath, options: {} }, this.#deps.workers, undefined, opening)
      } catch (error) {
        throw new ApiError('invalid_params', `Could not learn from the baseline: ${error instanceof Error ? error.message : String(error)}`)
      }
      model = await loadModel(modelPath)
      scorer = { kind: 'model', path: modelPath }
    }
    if (options.replace) removeCase(options.casePath)
    const store = CaseStore.create(options.casePath)
    const open = this.#register(store, options.title, model)
    open.scoring = model === null
    const first = this.#ingest(open, { sourcePath: options.logPath, scorer, anyway: options.anyway }, options.logPath)
    // Learnt after the first ingest, so that the first screen does not wait for the cores.
    if (!model) void first.done.then((summary) => this.#selfScore(open, options.logPath, summary), () => {})
    return this.summary(open.id)
  }

  /**
   * Opened without a baseline: the lines show at once, unscored, while a worker learns what is
   * usual in this very file from the lines the case already holds (no second read of the log);
   * then the case is re-scored in place against that model (views reload on the new revision).
   */
  async #selfScore(open: OpenCase, logPath: string, ingested: IngestSummary): Promise<void> {
    const { log } = this.#deps
    try {
      if (ingested.state !== 'complete' || !this.#cases.has(open.id)) return
      const sourceId = ingested.sourceId
      const result = await this.#retrainAndRescore(open, sourceId, { paths: [], options: { mode: 'self' }, fromCase: { casePath: open.store.path, sourceId } }, 'self-trained')
      if (result) log.info('workspace', `${logPath}: scored against itself, ${result.flagged.toLocaleString('en-US')} lines flagged`)
    } catch (error) {
      if (this.#cases.has(open.id)) {
        log.warn('workspace', `could not self-train on ${logPath}; the case stays unscored: ${error instanceof Error ? error.message : String(error)}`)
      }
    } finally {
      open.scoring = false
      if (this.#cases.has(open.id)) {
        this.#indexText(open, ingested.sourceId)
        this.#deps.onChanged(this.summary(open.id))
      }
    }
  }

  /**
   * Trains in a worker (from files or from the case), then re-scores the source in place in
   * worker threads and records the model in the case; null when the case closed meanwhile.
   */
  async #retrainAndRescore(
    open: OpenCase,
    sourceId: number,
    training: Omit<TrainWorkerData, 'out'>,
    name: string,
    onScoring?: (lines: number, total: number) => void,
    onTraining?: (share: number) => void
  ): Promise<RescoreResult | null> {
    const modelPath = join(this.casesDir, `${basename(open.store.path)}.${Date.now()}.training.model.json`)
    const controller = new AbortController()
    const job = { cancel: () => controller.abort(), done: Promise.resolve() as Promise<unknown> }
    open.training = job
    try {
      const trained = trainInWorker({ ...training, out: modelPath }, this.#deps.workers, controller.signal, onTraining)
      job.done = trained.catch(() => {})
      open.background.add(job)
      await trained
      if (!this.#cases.has(open.id)) return null
      onScoring?.(0, 0)
      return await this.#rescoreWith(open, sourceId, await loadModel(modelPath), modelPath, name, controller.signal, job, onScoring)
    } finally {
      open.background.delete(job)
      if (open.training === job) open.training = null
      rmSync(modelPath, { force: true })
    }
  }

  /**
   * Re-scores in worker threads against the model in `modelPath` (`base`) plus the case's
   * "normal" marks, records the base model, and shows the new scores.
   */
  async #rescoreWith(
    open: OpenCase,
    sourceId: number,
    base: Model,
    modelPath: string,
    name: string,
    signal: AbortSignal,
    job: { done: Promise<unknown> },
    onProgress?: (lines: number, total: number) => void
  ): Promise<RescoreResult | null> {
    const model = withFeedback(base, open.store, sourceId)
    const scoredPath = model === base ? modelPath : `${modelPath}.feedback.json`
    try {
      if (model !== base) await saveModel(model, scoredPath)
      const rescored = rescoreInWorker(
        { casePath: open.store.path, sourceId, modelPath: scoredPath, recordAs: name, recordFrom: modelPath },
        { createWorker: this.#deps.workers?.createRescoreWorker, signal, onProgress }
      )
      job.done = rescored.catch(() => {})
      const result = await rescored
      if (!this.#cases.has(open.id)) return null
      open.store.scoresChanged(sourceId)
      // Another base model is not the library's (a caller that took it from there says so);
      // the same one with feedback or template edits still is.
      if (base !== open.base) open.libraryId = null
      open.base = base
      open.model = model
      open.modelName = name
      open.threshold = model.settings.lineThreshold
      open.filters.clear()
      open.revision++
      return result
    } finally {
      if (model !== base) rmSync(scoredPath, { force: true })
    }
  }

  /** Marks a line or a template normal and re-scores the case with that feedback. */
  async markNormal(caseId: string, target: NormalTarget): Promise<{ summary: CaseSummary; result: RescoreResult; markId: number }> {
    const open = this.#case(caseId)
    this.#idleSource(open)
    let markId: number
    try {
      markId = markNormal(open.store, target, this.#deps.clock.now())
    } catch (error) {
      throw new ApiError('not_found', error instanceof Error ? error.message : String(error))
    }
    try {
      return { ...(await this.#rescoreBase(open, caseId)), markId }
    } catch (error) {
      unmarkNormal(open.store, markId)
      throw error
    }
  }

  /** Takes a "normal" mark back (undo) and re-scores without it. */
  async unmarkNormal(caseId: string, markId: number): Promise<{ summary: CaseSummary; result: RescoreResult }> {
    const open = this.#case(caseId)
    this.#idleSource(open)
    if (!normalMarks(open.store).some((m) => m.id === markId)) throw new ApiError('not_found', `No "normal" mark ${markId}`)
    unmarkNormal(open.store, markId)
    return this.#rescoreBase(open, caseId)
  }

  /** The case's "normal" marks. */
  normalMarks(caseId: string): NormalMark[] {
    return normalMarks(this.#case(caseId).store)
  }

  async #rescoreBase(open: OpenCase, caseId: string): Promise<{ summary: CaseSummary; result: RescoreResult }> {
    return this.rescore(caseId, scoredBase(open), open.modelName ?? open.store.activeModel()?.name ?? 'model')
  }

  /**
   * Re-scores the case's first source in place against `model` (no re-ingest) and records it as
   * the case's model; says what changed. One re-score or retrain per case at a time.
   */
  async rescore(
    caseId: string,
    model: Model,
    name = 'model',
    onProgress?: (lines: number, total: number) => void
  ): Promise<{ summary: CaseSummary; result: RescoreResult }> {
    const open = this.#case(caseId)
    const sourceId = this.#idleSource(open)
    const modelPath = join(this.casesDir, `${basename(open.store.path)}.${Date.now()}.rescore.model.json`)
    const controller = new AbortController()
    const job = { cancel: () => controller.abort(), done: Promise.resolve() as Promise<unknown> }
    open.scoring = true
    open.training = job
    open.background.add(job)
    let result: RescoreResult | null
    try {
      await saveModel(model, modelPath)
      result = await this.#rescoreWith(open, sourceId, model, modelPath, name, controller.signal, job, onProgress)
    } finally {
      open.background.delete(job)
      if (open.training === job) open.training = null
      rmSync(modelPath, { force: true })
      this.#settled(open)
    }
    if (!result) throw new ApiError('cancelled', 'The case was closed during the re-score')
    return { summary: this.summary(caseId), result }
  }

  /**
   * Retrains on baseline files (mined on from the case's own templates, so no line needs
   * matching) or on a part of the case judged normal (a line range, a time range or chosen
   * lines), then re-scores the case in place.
   */
  async retrain(
    caseId: string,
    spec: RetrainSpec,
    name?: string,
    onScoring?: (lines: number, total: number) => void,
    onTraining?: (share: number) => void
  ): Promise<{ summary: CaseSummary; result: RescoreResult }> {
    const open = this.#case(caseId)
    const sourceId = this.#idleSource(open)
    // Busy from here: a second request is refused while the files are still being checked.
    open.scoring = true
    let result: RescoreResult | null
    try {
      if ('baseline' in spec) {
        if (spec.baseline.length === 0) throw new ApiError('invalid_params', 'Choose at least one baseline file')
        for (const file of spec.baseline) await checkReadableFile(file)
      }
      const casePath = open.store.path
      const training: Omit<TrainWorkerData, 'out'> =
        'baseline' in spec
          ? { paths: [...spec.baseline], options: {}, fromCase: { casePath, sourceId, seedOnly: true } }
          : { paths: [], options: { mode: 'baseline' }, fromCase: { casePath, sourceId, selection: spec.normal } }
      result = await this.#retrainAndRescore(
        open,
        sourceId,
        training,
        name ?? ('baseline' in spec ? defaultModelName('baseline', spec.baseline.map((path) => ({ path }))) : `normal part of ${open.title}`),
        onScoring,
        onTraining
      )
    } catch (error) {
      if (error instanceof ApiError) throw error
      throw new ApiError('invalid_params', `Could not retrain: ${error instanceof Error ? error.message : String(error)}`)
    } finally {
      this.#settled(open)
    }
    if (!result) throw new ApiError('cancelled', 'The case was closed during the retrain')
    return { summary: this.summary(caseId), result }
  }

  /** The case's first source, once nothing else is ingesting or scoring it. */
  #idleSource(open: OpenCase): number {
    const source = open.store.sources()[0]
    if (!source) throw new ApiError('invalid_params', 'The case has no lines yet')
    if (open.scoring || open.jobs.size > 0 || source.state === 'ingesting') throw new ApiError('conflict', 'The case is still being ingested or scored; try again when it is done')
    if (open.follow) throw new ApiError('conflict', 'The case is following its file: stop following first')
    return source.id
  }

  #settled(open: OpenCase): void {
    open.scoring = false
    if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
  }

  /**
   * Starts a retrain in the background (the request answers at once): `case.training` events
   * tell how it goes, and the new model joins the library.
   */
  startRetrain(caseId: string, choice: BaselineChoice, name?: string): boolean {
    const open = this.#case(caseId)
    this.#idleSource(open)
    const spec: RetrainSpec =
      choice.kind === 'files'
        ? { baseline: choice.paths }
        : { normal: choice.kind === 'lines' ? { lines: { from: choice.fromLine, to: choice.toLine } } : { time: { from: choice.fromTs, to: choice.toTs } } }
    const what = describeBaseline(choice, open.store.source(choice.kind === 'files' ? 0 : choice.sourceId)?.name ?? open.title)
    this.#inBackground(open, `Training on ${what}…`, async (report, training) => {
      const { result } = await this.retrain(caseId, spec, name ?? what, report, training)
      const library = this.#deps.library
      if (library && open.base) {
        const entry = await library.add(open.base, open.modelName ?? undefined)
        open.libraryId = entry.id
        open.modelName = entry.name
      }
      return result
    })
    return true
  }

  /** Re-scores the case in place with a model from the library, in the background. */
  startUseModel(caseId: string, modelId: string): boolean {
    const open = this.#case(caseId)
    this.#idleSource(open)
    const library = this.#deps.library
    if (!library) throw new ApiError('unavailable', 'No model library here')
    const entry = library.entry(modelId)
    const model = library.load(modelId)
    this.#inBackground(open, `Re-scoring with ${entry.name}…`, async (report) => {
      report(0, 0)
      const { result } = await this.rescore(caseId, model, entry.name, report)
      open.libraryId = entry.id
      return result
    })
    return true
  }

  /** "This is normal", in the background; the event that ends it carries the mark to undo. */
  startMarkNormal(caseId: string, target: NormalTargetView): boolean {
    const open = this.#case(caseId)
    this.#idleSource(open)
    scoredBase(open)
    const what = target.kind === 'line' ? `line ${target.lineNo.toLocaleString('en-US')}` : 'this template'
    this.#inBackground(open, `Learning that ${what} is normal…`, async () => {
      const marked = await this.markNormal(caseId, target.kind === 'line' ? { sourceId: target.sourceId, lineNo: target.lineNo } : { templateId: target.templateId })
      return { result: marked.result, undoMark: marked.markId }
    })
    return true
  }

  startUnmarkNormal(caseId: string, markId: number): boolean {
    const open = this.#case(caseId)
    this.#idleSource(open)
    this.#inBackground(open, 'Undoing "this is normal"…', async () => (await this.unmarkNormal(caseId, markId)).result, 'Undone: flagged again as before:')
    return true
  }

  /** The case against its model's baseline: templates new, vanished, and whose rate changed. */
  compare(caseId: string): ComparisonView {
    const open = this.#case(caseId)
    if (!open.base) throw new ApiError('invalid_params', 'The case has no model to compare with yet')
    const counts = caseTemplateCounts(open.store)
    const comparison = compareTemplates(baselineCounts(open.base), counts)
    const view = (row: CompareRow) => ({
      kind: row.kind,
      template: row.template,
      baselineCount: row.baselineCount,
      caseCount: row.incidentCount,
      expected: row.expected,
      ratio: row.ratio,
      caseTemplates: counts.caseTemplates.get(row.templateId) ?? []
    })
    return {
      modelName: open.modelName ?? 'the model',
      baselineLines: comparison.baselineLines,
      caseLines: comparison.incidentLines,
      added: comparison.added.map(view),
      vanished: comparison.vanished.map(view),
      changed: comparison.changed.map(view)
    }
  }

  /**
   * Merges templates, splits one on a parameter, or undoes the last such edit (see
   * template-edits.ts): the case changes at once, the re-score follows in the background.
   */
  startTemplateEdit(caseId: string, request: TemplateEditRequest): { started: boolean; editId: number | null; templates: number[] } {
    const open = this.#case(caseId)
    const sourceId = this.#idleSource(open)
    const edit = applyTemplateEdit(open.store, sourceId, scoredBase(open), request, this.#deps.clock.now())
    this.#inBackground(open, edit.message, async (report) => {
      report(0, 0)
      try {
        const { result } = await this.rescore(caseId, edit.model, open.modelName ?? 'model', report)
        splitBaselines(open.store, open.model)
        return result
      } catch (error) {
        if (this.#cases.has(open.id)) edit.revert()
        throw error
      }
    })
    return { started: true, editId: edit.editId, templates: edit.templates }
  }

  templateEdits(caseId: string): TemplateEditView[] {
    return templateEditViews(this.#case(caseId).store)
  }

  templateParams(caseId: string, templateId: number): TemplateParamsView {
    const open = this.#case(caseId)
    const source = open.store.sources()[0]
    if (!source) throw new ApiError('invalid_params', 'The case has no lines yet')
    return templateParamsView(open.store, source.id, templateId)
  }

  cancelTraining(caseId: string): boolean {
    const training = this.#case(caseId).training
    training?.cancel()
    return training !== null
  }

  /**
   * Runs a retrain or re-score, telling `onTraining` each phase (with how far training has got,
   * when it reads baseline files) and what changed in the end.
   */
  #inBackground(
    open: OpenCase,
    message: string,
    work: (
      report: (lines: number, total: number) => void,
      training: (share: number) => void
    ) => Promise<RescoreResult | { result: RescoreResult; undoMark: number }>,
    doneMessage?: string
  ): void {
    const emit = (event: Omit<TrainingEvent, 'caseId'>): void => this.#deps.onTraining?.({ caseId: open.id, ...event })
    emit({ phase: 'training', share: null, message, change: null, undoMark: null })
    let lastShare = -1
    const report = (lines: number, total: number): void => {
      const share = total > 0 ? lines / total : 0
      // A re-score reports often; a handful of events is enough for a progress bar.
      if (share - lastShare < 0.05 && share < 1 && lastShare >= 0) return
      lastShare = share
      emit({ phase: 'scoring', share, message: `Re-scoring ${total > 0 ? `${total.toLocaleString('en-US')} lines` : 'the case'}…`, change: null, undoMark: null })
    }
    // In steps of a hundredth at most (the training worker's).
    const training = (share: number): void => emit({ phase: 'training', share, message, change: null, undoMark: null })
    const started = this.#deps.clock.now()
    work(report, training).then(
      (outcome) => {
        const { result, undoMark } = 'undoMark' in outcome ? outcome : { result: outcome, undoMark: null }
        const change = toChange(result, this.#deps.clock.now() - started)
        this.#deps.log.info('workspace', `${open.title}: re-scored with ${open.modelName}: ${change.flagged} flagged (+${change.newlyFlagged}, −${change.cleared})`)
        const said = doneMessage ?? (undoMark === null ? `Scored with ${open.modelName ?? 'the new model'}:` : 'Learnt that it is normal:')
        emit({ phase: 'done', share: 1, message: said, change, undoMark })
        if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
      },
      (error: unknown) => {
        const cancelled = error instanceof ApiError ? error.code === 'cancelled' : /abort|cancel|terminat/i.test(String(error))
        const message = error instanceof Error ? error.message : String(error)
        if (!cancelled) this.#deps.log.warn('workspace', `${open.title}: ${message}`)
        emit({ phase: cancelled ? 'cancelled' : 'failed', share: null, message: cancelled ? 'Cancelled; the case keeps its scores' : message, change: null, undoMark: null })
      }
    )
  }

  #ingest(
    open: OpenCase,
    what: { sourcePath: string; scorer: ScorerSpec | undefined; anyway?: boolean | undefined } | { resumeSourceId: number },
    logPath: string
  ): IngestJob {
    const { log } = this.#deps
    const job = this.#ingestThreads.start(
      { casePath: open.store.path, ...what },
      {
        onProgress: (progress) =>
          this.#deps.onProgress({
            caseId: open.id,
            sourceId: progress.sourceId,
            phase: progress.phase,
            bytes: progress.bytes,
            totalBytes: progress.totalBytes,
            lines: progress.lines,
            linesPerSecond: progress.linesPerSecond,
            etaSeconds: progress.etaSeconds
          })
      }
    )
    // Until the worker says which source it is, a close still has to be able to stop it.
    open.background.add(job)
    void job.done.catch(() => {}).finally(() => open.background.delete(job))
    job.started.then(
      (sourceId) => {
        open.jobs.set(sourceId, job)
        if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
      },
      () => {}
    )
    job.done.then(
      (summary: IngestSummary) => {
        open.jobs.delete(summary.sourceId)
        // A case about to be replaced by its scored copy is not worth indexing.
        if (summary.state === 'complete' && this.#cases.has(open.id) && !open.scoring) this.#indexText(open, summary.sourceId)
        log.info('workspace', `${logPath}: ${summary.lines.toLocaleString('en-US')} lines, ${summary.flagged.toLocaleString('en-US')} flagged, ${summary.state}`)
        if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
      },
      (error: unknown) => {
        log.error('workspace', `ingest of ${logPath} failed: ${error instanceof Error ? error.message : String(error)}`)
        if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
      }
    )
    return job
  }

  /** Builds the text search index in the background (resumable; search works meanwhile). */
  #indexText(open: OpenCase, sourceId: number): void {
    this.#warm(open, sourceId)
    if (open.textJobs.has(sourceId) || open.store.textIndexStatus(sourceId).ready) return
    const job = startTextIndex(
      { casePath: open.store.path, sourceId },
      this.#deps.workers?.createTextIndexWorker ? { createWorker: this.#deps.workers.createTextIndexWorker } : {}
    )
    open.textJobs.set(sourceId, job)
    job.done.then(
      ({ blocksIndexed, ms, cancelled }) => {
        open.textJobs.delete(sourceId)
        if (!cancelled) this.#deps.log.info('workspace', `text index: ${blocksIndexed} blocks in ${Math.round(ms)} ms`)
        if (!cancelled && this.#cases.has(open.id)) this.#warm(open, sourceId)
      },
      (error: unknown) => {
        open.textJobs.delete(sourceId)
        this.#deps.log.warn('workspace', `text index not built (search scans instead): ${error instanceof Error ? error.message : String(error)}`)
      }
    )
  }

  /**
   * Builds in the background what the viewer's first filters and searches would otherwise wait
   * for (at 10M lines, 100–300 ms each), a step at a time so requests are served in between.
   */
  #warm(open: OpenCase, sourceId: number): void {
    const steps = open.store.warming(sourceId)
    const next = (): void => {
      if (!this.#cases.has(open.id)) return
      try {
        if (steps.next().done !== true) setImmediate(next)
      } catch (error) {
        this.#deps.log.warn('workspace', `${open.title}: ${error instanceof Error ? error.message : String(error)}`)
      }
    }
    setImmediate(next)
  }

  #register(store: CaseStore, title: string, model: Model | null): OpenCase {
    const open: OpenCase = {
      id: `case-${this.#nextId++}`,
      title,
      store,
      model,
      modelName: model && defaultModelName(model.mode, model.sources),
      libraryId: null,
      training: null,
      follow: null,
      base: model,
      threshold: model?.settings.lineThreshold ?? defaultThreshold,
      revision: 0,
      scoring: false,
      background: new Set(),
      jobs: new Map(),
      textJobs: new Map(),
      filters: new KeptFilters(),
      filtering: new Map()
    }
    this.#cases.set(open.id, open)
    this.#deps.onOpened?.(store.path, title)
    return open
  }

  #findByPath(path: string): OpenCase | undefined {
    return [...this.#cases.values()].find((c) => c.store.path === path)
  }

  #case(caseId: string): OpenCase {
    const open = this.#cases.get(caseId)
    if (!open) throw new ApiError('not_found', `No open case ${caseId}`)
    return open
  }

  summary(caseId: string): CaseSummary {
    const open = this.#case(caseId)
    const sources: SourceSummary[] = open.store.sources().map((s) => ({
      id: s.id,
      name: s.name,
      path: s.path,
      size: s.size,
      lines: s.lines,
      state: s.state,
      format: s.format,
      error: s.error
    }))
    const first = sources[0]
    return {
      caseId: open.id,
      path: open.store.path,
      title: open.title,
      sources,
      model: open.model && {
        name: open.modelName ?? defaultModelName(open.model.mode, open.model.sources),
        libraryId: open.libraryId,
        mode: open.model.mode,
        baseline: open.model.sources.map((s) => s.path),
        lineThreshold: open.model.settings.lineThreshold,
        templates: open.model.templates.size
      },
      anomalies: first ? open.store.anomalyCount(first.id) : 0,
      timeRange: first ? open.store.timeRange(first.id) : null,
      revision: open.revision,
      scoring: open.scoring,
      following: open.follow !== null
    }
  }

  /**
   * Starts or stops following the case's log file as it grows: its new lines join the case,
   * scored by its model, and flagged ones go out through `onAlerts` as they are scored.
   */
  follow(caseId: string, on: boolean): boolean {
    const open = this.#case(caseId)
    if (!on) {
      open.follow?.stop()
      return false
    }
    if (open.follow) return true
    const sourceId = this.#idleSource(open)
    const { log } = this.#deps
    const source = open.store.source(sourceId)
    const follow = startLiveFollow(open.store.path, sourceId, {
      clock: this.#deps.clock,
      onAlerts: (alerts) => this.#deps.onAlerts?.(open.id, sourceId, alerts),
      onLines: () => {
        if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
      },
      onNotice: (message) => log.info('workspace', `${source?.path ?? 'log'}: ${message}`),
      onEnded: (error) => {
        if (open.follow === follow) open.follow = null
        if (error) log.warn('workspace', `stopped following ${source?.path ?? 'the log'}: ${error instanceof Error ? error.message : String(error)}`)
        else log.info('workspace', `stopped following ${source?.path ?? 'the log'}`)
      }
    })
    open.follow = follow
    // Stopped and started again, a follow must not leave its predecessor in the set.
    const job = { cancel: () => follow.stop(), done: follow.done }
    open.background.add(job)
    void follow.done.finally(() => open.background.delete(job))
    log.info('workspace', `following ${source?.path ?? 'the log'} from line ${(source?.lines ?? 0) + 1}`)
    this.#deps.onChanged(this.summary(open.id))
    return true
  }

  /** "This matters": a bookmark for the export (`on: false` takes it back). */
  bookmark(caseId: string, sourceId: number, lineNo: number, on: boolean): boolean {
    return setBookmark(this.#case(caseId).store, sourceId, lineNo, on, this.#deps.clock.now())
  }

  bookmarks(caseId: string, sourceId: number): BookmarkView[] {
    return bookmarks(this.#case(caseId).store, sourceId)
  }

  /** Flagged and bookmarked lines with context, written to `path`. */
  exportTo(caseId: string, sourceId: number, path: string, options: { format: ExportFormatView; context: number; redact: boolean }): Promise<ExportStats> {
    return exportToFile(this.#case(caseId).store, sourceId, path, { ...options, now: this.#deps.clock.now() })
  }

  reportMarkdown(caseId: string, sourceId: number, options: { context: number; redact: boolean }): string {
    return reportForClipboard(this.#case(caseId).store, sourceId, { ...options, now: this.#deps.clock.now() })
  }

  close(caseId: string): boolean {
    const open = this.#cases.get(caseId)
    if (!open) return false
    const jobs = [...new Set([...open.jobs.values(), ...open.textJobs.values(), ...open.background])]
    for (const job of jobs) job.cancel()
    this.#cases.delete(caseId)
    open.filters.clear()
    // Close once the workers have let go of the file.
    void Promise.allSettled(jobs.map((job) => job.done)).then(() => open.store.close())
    return true
  }

  /** Closes every case and lets the threads kept for the next ingest go: the host is stopping. */
  closeAll(): void {
    for (const id of [...this.#cases.keys()]) this.close(id)
    this.#ingestThreads.close()
  }

  cancelIngest(caseId: string, sourceId: number): boolean {
    const job = this.#case(caseId).jobs.get(sourceId)
    job?.cancel()
    return job !== undefined
  }

  lines(caseId: string, sourceId: number, from: number, count: number): { lines: ViewLine[]; total: number } {
    const open = this.#case(caseId)
    const total = open.store.source(sourceId)?.lines ?? 0
    return { lines: open.store.lines(sourceId, from, count).map((l) => toViewLine(l, open.threshold)), total }
  }

  /**
   * The case's sources' lines interleaved by timestamp (see interleave.ts), each tagged with its
   * source: lines `from` … `from + count - 1` of that order (from 1).
   */
  interleavedLines(caseId: string, from: number, count: number): { lines: SourceViewLine[]; total: number } {
    const open = this.#case(caseId)
    const order = this.#interleaving(open)
    const runs = order.runs(from - 1, count)
    // A window holds one stretch of each source's lines (each keeps its order): read once per source.
    const stretches = new Map<number, { first: number; end: number }>()
    for (const run of runs) {
      const stretch = stretches.get(run.sourceId)
      if (stretch) stretch.end = run.firstLine + run.count
      else stretches.set(run.sourceId, { first: run.firstLine, end: run.firstLine + run.count })
    }
    const read = new Map([...stretches].map(([id, { first, end }]) => [id, { lines: open.store.lines(id, first, end - first), next: 0 }]))
    const lines: SourceViewLine[] = []
    for (const run of runs) {
      const source = read.get(run.sourceId) as { lines: StoredLine[]; next: number }
      for (let k = 0; k < run.count; k++) {
        const line = source.lines[source.next++]
        if (line) lines.push({ ...toViewLine(line, open.threshold), sourceId: run.sourceId })
      }
    }
    return { lines, total: order.length }
  }

  /** The case's sources interleaved as they are now: made again once any has grown. */
  #interleaving(open: OpenCase): Interleaving {
    const sources = open.store.sources().map((source) => {
      const index = open.store.index(source.id)
      return { id: source.id, ts: index.ts, length: index.length }
    })
    const key = sources.map((s) => `${s.id}:${s.length}`).join(',')
    const kept = this.#interleavings.get(open)
    if (kept?.key === key) return kept.order
    const order = interleave(sources)
    this.#interleavings.set(open, { key, order })
    return order
  }

  /**
   * Runs a filter and keeps its result for paging. A text search gives the thread back as it
   * reads (the viewer keeps scrolling meanwhile) and stops when its `token` is cancelled.
   */
  async filter(caseId: string, sourceId: number, filter: LineFilter, token?: string): Promise<{ filterId: string; count: number }> {
    const open = this.#case(caseId)
    const controller = new AbortController()
    if (token !== undefined) {
      open.filtering.get(token)?.abort()
      open.filtering.set(token, controller)
    }
    let lines: LineList
    try {
      lines = filter.text ? await filterLinesAsync(filter, open.store.filterContext(sourceId), controller.signal) : open.store.filter(sourceId, filter)
    } catch (error) {
      if (controller.signal.aborted) throw new ApiError('cancelled', 'The filter was cancelled')
      throw new ApiError('invalid_params', error instanceof Error ? error.message : String(error))
    } finally {
      if (token !== undefined && open.filtering.get(token) === controller) open.filtering.delete(token)
    }
    if (!this.#cases.has(caseId)) throw new ApiError('not_found', 'The case was closed')
    const filterId = `f${this.#nextFilter++}`
    open.filters.keep(filterId, { sourceId, lines })
    return { filterId, count: lines.length }
  }

  /** Stops a filter still reading text; false when it has already answered (or never ran). */
  cancelFilter(caseId: string, token: string): boolean {
    const controller = this.#case(caseId).filtering.get(token)
    controller?.abort()
    return controller !== undefined
  }

  filteredLines(caseId: string, filterId: string, from: number, count: number): { lines: ViewLine[]; count: number } {
    const open = this.#case(caseId)
    const result = open.filters.get(filterId)
    if (!result) throw new ApiError('not_found', `Filter ${filterId} has expired; filter again`)
    const lines: ViewLine[] = []
    for (const run of result.lines.runs(from, count)) {
      for (const line of open.store.lines(result.sourceId, run.first, run.count)) lines.push(toViewLine(line, open.threshold))
    }
    return { lines, count: result.lines.length }
  }

  /** Position in a filter's results of the first line at or after `lineNo`. */
  filterIndexOf(caseId: string, filterId: string, lineNo: number): number {
    const result = this.#case(caseId).filters.get(filterId)
    if (!result) throw new ApiError('not_found', `Filter ${filterId} has expired; filter again`)
    return result.lines.indexOf(lineNo)
  }

  /** The first line stamped at or after `ts`, for "go to time". */
  lineAtTime(caseId: string, sourceId: number, ts: number): number | null {
    const index = this.#case(caseId).store.index(sourceId)
    for (const block of index.blocks) {
      if (!(block.maxTs >= ts)) continue
      for (let i = block.start; i < block.start + block.count; i++) if ((index.ts[i] as number) >= ts) return i + 1
    }
    return null
  }

  nextAnomaly(caseId: string, sourceId: number, from: number, direction: 'next' | 'previous'): number | null {
    return this.#case(caseId).store.nextAnomaly(sourceId, from, direction)
  }

  anomaly(caseId: string, sourceId: number, lineNo: number): { score: number; reasons: string[] } | null {
    const row = this.#case(caseId).store.anomaly(sourceId, lineNo)
    return row ? { score: row.score, reasons: row.reasons } : null
  }

  anomalies(caseId: string, sourceId: number, lineNos: readonly number[]): { lineNo: number; score: number; reasons: string[] }[] {
    const store = this.#case(caseId).store
    return lineNos.flatMap((lineNo) => {
      const row = store.anomaly(sourceId, lineNo)
      return row ? [{ lineNo, score: row.score, reasons: row.reasons }] : []
    })
  }

  sessions(caseId: string, sourceId: number, query: SessionQuery): { summary: SessionSummaryView; sessions: SessionRowView[] } {
    const db = this.#case(caseId).store.db
    return {
      summary: sessionSummary(db, sourceId),
      sessions: listSessions(db, sourceId, query).map((row) => ({ ...row, reasons: [...row.reasons] }))
    }
  }

  templates(caseId: string): TemplateRowView[] {
    const open = this.#case(caseId)
    // A template's score is its worst flagged line's, so the panel can lead with what broke.
    const canonical = open.store.canonicalTemplates()
    const worst = new Map<number, number>()
    const rows = open.store.db
      .prepare(`SELECT template_id AS template, max(score) AS score FROM anomalies GROUP BY template_id`)
      .all() as { template: number | null; score: number }[]
    for (const { template, score } of rows) {
      if (template === null) continue
      const id = canonical.get(template) ?? template
      worst.set(id, Math.max(score, worst.get(id) ?? 0))
    }
    // Baseline counts as stored by the ingest or the last re-score (which maps the case's
    // templates to its model's): null when no model scored the case.
    return open.store.templates().map((t) => ({
      id: t.id,
      text: t.text,
      count: t.count,
      baselineCount: open.model ? (t.baselineCount ?? 0) : null,
      score: worst.get(t.id) ?? t.score ?? 0,
      isNew: open.model !== null && t.baselineCount === 0
    }))
  }

  timeline(caseId: string, sourceId: number, buckets: number, fromTs?: number, toTs?: number) {
    const open = this.#case(caseId)
    const index = open.store.index(sourceId)
    const range = timeRange(index)
    if (!range) return null
    const from = fromTs ?? range.min
    const to = toTs ?? range.max
    const result = timeBuckets(index, from, to, buckets, open.threshold)
    return { fromTs: result.fromTs, bucketMs: result.bucketMs, lines: Array.from(result.lines), anomalies: Array.from(result.anomalies) }
  }
}

/** A folder, an unreadable or a binary file is refused before any case is made for it. */
async function checkReadableFile(path: string, anyway = false): Promise<void> {
  if (!existsSync(path)) throw new ApiError('not_found', `No file at ${path}`)
  try {
    await checkTextFile(path, anyway)
  } catch (error) {
    throw new ApiError(error instanceof NotTextError ? 'not_text' : 'invalid_params', error instanceof Error ? error.message : String(error))
  }
}

/** Drops a case file and its SQLite side files (a sample case that never finished, say). */
function removeCase(path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
}

function toChange(result: RescoreResult, ms: number): RescoreChange {
  return {
    flagged: result.flagged,
    newlyFlagged: result.newlyFlagged,
    cleared: result.cleared,
    newlyFlaggedLines: result.newlyFlaggedLines.slice(0, 50),
    clearedLines: result.clearedLines.slice(0, 50),
    ms
  }
}

/** A model's default name: the baseline files, or which part of the case was normal. */
function describeBaseline(choice: BaselineChoice, sourceName: string): string {
  const count = (n: number): string => n.toLocaleString('en-US')
  const time = (ts: number): string => new Date(ts).toISOString().slice(11, 19)
  switch (choice.kind) {
    case 'files':
      return defaultModelName('baseline', choice.paths.map((path) => ({ path })))
    case 'lines':
      return `${sourceName}, lines ${count(choice.fromLine)}–${count(choice.toLine)}`
    case 'time':
      return `${sourceName}, ${time(choice.fromTs)}–${time(choice.toTs)} UTC`
  }
}

/** The model a case was scored with, before feedback: what re-scores and template edits start from. */
function scoredBase(open: OpenCase): Model {
  if (!open.base) throw new ApiError('invalid_params', 'The case is not scored yet; open it against a baseline or wait for its self-scoring')
  return open.base
}
