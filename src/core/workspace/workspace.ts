/**
 * The investigations open in this engine, and every request the viewer makes of them. Opening a
 * log creates a case file in the data folder and ingests into it in the background; progress and
 * completion go out as events. The bundled sample opens the same way, scored against its own
 * known-good baseline.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import type { Worker } from 'node:worker_threads'
import { basename, join } from 'node:path'
import type {
  CaseSummary,
  IngestProgressEvent,
  SessionRowView,
  SessionSummaryView,
  SourceSummary,
  TemplateRowView,
  ViewLine
} from '../../shared/api/case-contract.ts'
import { listSessions, sessionSummary } from '../case/session-store.ts'
import type { SessionQuery } from '../case/session-store.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { LineFilter } from '../../shared/case/line-filter.ts'
import { CaseStore } from '../case/case-store.ts'
import { startTextIndex } from '../case/text-index-job.ts'
import type { TextIndexWorkerData } from '../case/text-index-job.ts'
import { timeBuckets, timeRange } from '../case/time-buckets.ts'
import type { Logger } from '../diagnostics/logger.ts'
import { startIngest } from '../ingest/index.ts'
import type { IngestJob, IngestSummary, IngestWorkerFactories, ScorerSpec } from '../ingest/index.ts'
import { loadModel, parseModel } from '../model/model-file.ts'
import { checkTextFile, NotTextError } from '../read/sniff-text.ts'
import { trainInWorker } from '../model/train-job.ts'
import type { TrainWorkerData } from '../model/train-job.ts'
import type { Model } from '../model/model.ts'
import type { Clock } from '../service/deps.ts'
import { maxFiltersPerCase } from './open-case.ts'
import type { OpenCase } from './open-case.ts'
import { toViewLine } from './view-lines.ts'

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
}

/** Every worker thread the engine starts, for a bundle that cannot run the .ts entries. */
export type EngineWorkers = IngestWorkerFactories & {
  createTextIndexWorker?: ((workerData: TextIndexWorkerData) => Worker) | undefined
  createTrainWorker?: ((workerData: TrainWorkerData) => Worker) | undefined
}

const defaultThreshold = 0.5
const sampleTitle = 'Sample incident (web shop, payments outage)'

export class Workspace {
  readonly #deps: WorkspaceDeps
  readonly #cases = new Map<string, OpenCase>()
  #nextId = 1
  #nextFilter = 1

  constructor(deps: WorkspaceDeps) {
    this.#deps = deps
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
      // In a worker: this thread keeps answering the UI meanwhile.
      try {
        await trainInWorker({ paths: [...options.baseline], out: modelPath, options: {} }, this.#deps.workers?.createTrainWorker)
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
    if (!model) void first.done.then(() => this.#selfScore(open, options.logPath), () => {})
    return this.summary(open.id)
  }

  /**
   * Opened without a baseline: the lines show at once, unscored, while a worker learns what is
   * usual in this very file; then the file is ingested again against that model into a sibling
   * case, which replaces the first one (views reload on the new revision).
   * TODO(#8): re-score in place instead of ingesting twice, once the re-score engine exists.
   */
  async #selfScore(open: OpenCase, logPath: string): Promise<void> {
    const { log } = this.#deps
    const scoredPath = open.store.path.replace(/\.faultline$/, '.scored.faultline')
    const modelPath = `${scoredPath}.model.json`
    const training = new AbortController()
    const trained = trainInWorker({ paths: [logPath], out: modelPath, options: { mode: 'self' } }, this.#deps.workers?.createTrainWorker, training.signal)
    const trainingJob = { cancel: () => training.abort(), done: trained.catch(() => {}) }
    open.background.add(trainingJob)
    try {
      await trained.finally(() => open.background.delete(trainingJob))
      if (!this.#cases.has(open.id)) {
        rmSync(modelPath, { force: true })
        return
      }
      const model = await loadModel(modelPath)
      removeCase(scoredPath)
      CaseStore.create(scoredPath).close()
      const job = startIngest({ casePath: scoredPath, sourcePath: logPath, scorer: { kind: 'model', path: modelPath } }, { ...this.#deps.workers })
      open.background.add(job)
      const scored = await job.done.finally(() => open.background.delete(job))
      // Every worker must be done with the old file before it goes.
      await Promise.allSettled([...open.jobs.values()].map((j) => j.done))
      for (const text of open.textJobs.values()) text.cancel()
      await Promise.allSettled([...open.textJobs.values()].map((j) => j.done))
      if (!this.#cases.has(open.id) || scored.state !== 'complete') {
        removeCase(scoredPath)
        rmSync(modelPath, { force: true })
        return
      }
      const old = open.store
      open.store = CaseStore.open(scoredPath)
      open.model = model
      open.threshold = model.settings.lineThreshold
      open.filters.clear()
      open.revision++
      old.close()
      removeCase(old.path)
      this.#deps.onForgotten?.(old.path)
      this.#deps.onOpened?.(scoredPath, open.title)
      this.#indexText(open, scored.sourceId)
      log.info('workspace', `${logPath}: scored against itself, ${scored.flagged.toLocaleString('en-US')} lines flagged`)
    } catch (error) {
      removeCase(scoredPath)
      rmSync(modelPath, { force: true })
      if (this.#cases.has(open.id)) {
        log.warn('workspace', `could not self-train on ${logPath}; the case stays unscored: ${error instanceof Error ? error.message : String(error)}`)
      }
    } finally {
      open.scoring = false
      if (this.#cases.has(open.id)) this.#deps.onChanged(this.summary(open.id))
    }
  }

  #ingest(
    open: OpenCase,
    what: { sourcePath: string; scorer: ScorerSpec | undefined; anyway?: boolean | undefined } | { resumeSourceId: number },
    logPath: string
  ): IngestJob {
    const { log } = this.#deps
    const job = startIngest(
      { casePath: open.store.path, ...what },
      {
        ...this.#deps.workers,
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
      },
      (error: unknown) => {
        open.textJobs.delete(sourceId)
        this.#deps.log.warn('workspace', `text index not built (search scans instead): ${error instanceof Error ? error.message : String(error)}`)
      }
    )
  }

  #register(store: CaseStore, title: string, model: Model | null): OpenCase {
    const open: OpenCase = {
      id: `case-${this.#nextId++}`,
      title,
      store,
      model,
      threshold: model?.settings.lineThreshold ?? defaultThreshold,
      revision: 0,
      scoring: false,
      background: new Set(),
      jobs: new Map(),
      textJobs: new Map(),
      filters: new Map()
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
        mode: open.model.mode,
        baseline: open.model.sources.map((s) => s.path),
        lineThreshold: open.model.settings.lineThreshold,
        templates: open.model.templates.size
      },
      anomalies: first ? open.store.anomalyCount(first.id) : 0,
      timeRange: first ? open.store.timeRange(first.id) : null,
      revision: open.revision,
      scoring: open.scoring
    }
  }

  close(caseId: string): boolean {
    const open = this.#cases.get(caseId)
    if (!open) return false
    const jobs = [...new Set([...open.jobs.values(), ...open.textJobs.values(), ...open.background])]
    for (const job of jobs) job.cancel()
    this.#cases.delete(caseId)
    // Close once the workers have let go of the file.
    void Promise.allSettled(jobs.map((job) => job.done)).then(() => open.store.close())
    return true
  }

  closeAll(): void {
    for (const id of [...this.#cases.keys()]) this.close(id)
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

  filter(caseId: string, sourceId: number, filter: LineFilter): { filterId: string; count: number } {
    const open = this.#case(caseId)
    let lines: Int32Array
    try {
      lines = open.store.filter(sourceId, filter)
    } catch (error) {
      throw new ApiError('invalid_params', error instanceof Error ? error.message : String(error))
    }
    const filterId = `f${this.#nextFilter++}`
    open.filters.set(filterId, { sourceId, lines })
    if (open.filters.size > maxFiltersPerCase) open.filters.delete(open.filters.keys().next().value as string)
    return { filterId, count: lines.length }
  }

  filteredLines(caseId: string, filterId: string, from: number, count: number): { lines: ViewLine[]; count: number } {
    const open = this.#case(caseId)
    const result = open.filters.get(filterId)
    if (!result) throw new ApiError('not_found', `Filter ${filterId} has expired; filter again`)
    const wanted = result.lines.subarray(from, from + count)
    const lines: ViewLine[] = []
    // Read runs of consecutive line numbers together.
    for (let i = 0; i < wanted.length; ) {
      let j = i
      while (j + 1 < wanted.length && (wanted[j + 1] as number) === (wanted[j] as number) + 1) j++
      const first = wanted[i] as number
      for (const line of open.store.lines(result.sourceId, first, j - i + 1)) lines.push(toViewLine(line, open.threshold))
      i = j + 1
    }
    return { lines, count: result.lines.length }
  }

  /** Position in a filter's results of the first line at or after `lineNo`. */
  filterIndexOf(caseId: string, filterId: string, lineNo: number): number {
    const result = this.#case(caseId).filters.get(filterId)
    if (!result) throw new ApiError('not_found', `Filter ${filterId} has expired; filter again`)
    let lo = 0
    let hi = result.lines.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if ((result.lines[mid] as number) < lineNo) lo = mid + 1
      else hi = mid
    }
    return lo
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
    return open.store.templates().map((t) => ({
      id: t.id,
      text: t.text,
      count: t.count,
      baselineCount: open.model ? (open.model.templates.get(t.id)?.count ?? 0) : null,
      score: worst.get(t.id) ?? t.score ?? 0,
      isNew: open.model !== null && !open.model.templates.has(t.id)
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
