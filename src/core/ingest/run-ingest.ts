/**
 * The ingest pipeline: reader → format detection → template miner → scorer → block commits.
 * Plain async code with no thread of its own: `ingest-worker.ts` runs it off the main thread, and
 * tests run it in-process. Commits happen only between records (never inside a stack trace), at
 * least every `commitIntervalMs` so a viewer sees lines while the ingest goes on, and carry the
 * source's progress, the anomalies found so far and, now and then, the miner's state, all in one
 * transaction: see miner-checkpoint.ts for what a resume can rely on after a crash.
 */
import { existsSync, statSync } from 'node:fs'
import { resolve as resolvePath } from 'node:path'
import { CaseStore } from '../case/case-store.ts'
import type { SourceRecord, TemplateRow } from '../case/case-store.ts'
import { BlockBuilder, defaultBlockLines } from '../case/block-builder.ts'
import { readTail } from '../case/source-writer.ts'
import type { FormatSpec } from '../format/index.ts'
import type { TemplateMiner } from '../mine/index.ts'
import { neutralScorer } from '../model/line-scorer.ts'
import type { LineScorer } from '../model/line-scorer.ts'
import { inlineSink } from './commit-batch.ts'
import type { BlockSink, SourcePatch } from './commit-batch.ts'
import { minePacked, openPackedSource, packedLine } from './packed-records.ts'
import type { PackOptions, PackedSource } from './packed-records.ts'
import { parseCheckpoint, restoreMiner, TemplateTally } from './miner-checkpoint.ts'
import type { MinerCheckpoint } from './miner-checkpoint.ts'
import type { ScoringModel } from './scorer-spec.ts'
import { putSessionKey, sessionIdsOf, sessionKeyOf, sessionSummary } from '../case/session-store.ts'
import type { Model } from '../model/model.ts'
import { sessionKeyToSnapshot, userSessionKey } from '../model/sessions/session-key.ts'
import type { SessionKeySnapshot } from '../model/sessions/session-key.ts'
import { lineThresholdOf, SessionPass } from './session-pass.ts'
import { SessionLog } from './session-log.ts'
import { BatchBuffers } from './batch-buffers.ts'
import { RecordLoop } from './record-loop.ts'
import { SessionKeyTable } from './session-key-table.ts'
import { threadCpuMs } from './thread-cpu.ts'
import { describeIngestFailure } from './write-failure.ts'
import { checkTextFile } from '../read/sniff-text.ts'
import type { IngestPhase, IngestProgress, IngestRequest, IngestSummary, ReasonCount } from './types.ts'

export interface IngestHooks {
  readonly scorer?: LineScorer | undefined
  /** The miner a new case starts from (see scorer-spec.ts). */
  readonly seedMiner?: (() => TemplateMiner) | undefined
  /** The model reference's count for a template, stored as `baseline_count`. */
  readonly baselineCount?: ((templateId: number) => number | null) | undefined
  /** The model scoring this ingest; `record` (its file's JSON) is stored as the case's model. */
  readonly model?: ScoringModel | undefined
  /** The model itself: its session key, and what sessions are scored against (none: self-trained). */
  readonly reference?: Model | undefined
  /** Abort to cancel: the source keeps its committed lines, is marked `cancelled` and can resume. */
  readonly signal?: AbortSignal | undefined
  readonly onStarted?: ((sourceId: number) => void) | undefined
  readonly onProgress?: ((progress: IngestProgress) => void) | undefined
  /** Where records come from (default: read on this thread); see reader-worker.ts. */
  readonly openSource?: ((path: string, options: PackOptions) => Promise<PackedSource>) | undefined
  /** Where commits go (default: this thread's own connection); see thread-sink.ts. */
  readonly openSink?: ((sourceId: number) => BlockSink) | undefined
}

const defaults = { commitIntervalMs: 250, blocksPerCommit: 64, progressIntervalMs: 100, checkpointIntervalMs: 1_000 }

/** Records between clock reads: a clock read per record would cost more than the split. */
const checkEvery = 1024

export async function runIngest(request: IngestRequest, hooks: IngestHooks = {}): Promise<IngestSummary> {
  const started = performance.now()
  // A new source is checked before the case is touched: a folder, an unreadable or a binary file
  // leaves no trace in it.
  if (request.resumeSourceId === undefined && request.sourcePath !== undefined) await checkTextFile(resolvePath(request.sourcePath), request.anyway)
  const store = openOrCreate(request)
  try {
    return await ingest(store, request, hooks, started)
  } finally {
    store.close()
  }
}

function openOrCreate(request: IngestRequest): CaseStore {
  if (request.resumeSourceId === undefined && !existsSync(request.casePath)) return CaseStore.create(request.casePath)
  return CaseStore.open(request.casePath)
}

interface Target {
  sourceId: number
  path: string
  /** Lines already committed (a resume), and where the miner's snapshot stands in them. */
  committed: number
  spec: FormatSpec | undefined
}

function prepareSource(store: CaseStore, request: IngestRequest): Target {
  if (request.resumeSourceId !== undefined) {
    const source = store.source(request.resumeSourceId)
    if (!source) throw new Error(`the case has no source ${request.resumeSourceId}`)
    if (source.state === 'complete') throw new Error(`source ${source.id} (${source.name}) is already complete`)
    const path = request.sourcePath ?? source.path
    checkUnchanged(source, path)
    store.updateSource(source.id, { state: 'ingesting', error: null })
    return { sourceId: source.id, path, committed: source.lines, spec: source.formatSpec ? (JSON.parse(source.formatSpec) as FormatSpec) : undefined }
  }
  if (request.sourcePath === undefined) throw new Error('nothing to ingest: give a source file or a source to resume')
  const path = resolvePath(request.sourcePath)
  const stat = statSync(path)
  const sourceId = store.addSource({ path, size: stat.size, mtimeMs: stat.mtimeMs, startedAt: Date.now() })
  return { sourceId, path, committed: 0, spec: undefined }
}

/** A resume trusts the committed prefix; refuse when the file is plainly not the one ingested. */
function checkUnchanged(source: SourceRecord, path: string): void {
  const stat = statSync(path, { throwIfNoEntry: false })
  if (!stat) throw new Error(`cannot resume: ${path} is gone`)
  // Logs grow: a longer file is fine, a shorter one is another file.
  if (stat.size < source.size) throw new Error(`cannot resume: ${path} changed since the ingest began (it shrank)`)
}

/** A model judges lines by template id: only a case whose miner grew from that model agrees with it. */
function checkModelFits(store: CaseStore, model: ScoringModel | undefined): void {
  const saved = store.minerState()
  if (!model || saved === null) return
  if ((parseCheckpoint(saved).seed ?? null) !== model.digest) {
    throw new Error(`this case's templates were not mined with ${model.name}, so their ids would not match it; open the file in a new case`)
  }
}

async function ingest(store: CaseStore, request: IngestRequest, hooks: IngestHooks, started: number): Promise<IngestSummary> {
  checkModelFits(store, hooks.model)
  const target = prepareSource(store, request)
  if (hooks.model?.record !== undefined) store.putModel(hooks.model.name, hooks.model.record, Date.now())
  hooks.onStarted?.(target.sourceId)
  const sink = hooks.openSink?.(target.sourceId) ?? inlineSink(store, target.sourceId)
  let closed = false
  try {
    const summary = await ingestLines(store, request, hooks, started, target, sink)
    closed = true
    return { ...summary, commitCpuMs: await sink.close() }
  } catch (error) {
    // Committed blocks stay as they are; the source can be resumed once the cause is fixed.
    await sink.flush().catch(() => {})
    const message = describeIngestFailure(error)
    try {
      store.updateSource(target.sourceId, { state: 'failed', error: message })
    } catch {
      // The write that failed (a full disk) can fail this one too: the source stays `ingesting`,
      // which a reopen resumes.
    }
    throw error instanceof Error && error.message === message ? error : new Error(message, { cause: error })
  } finally {
    if (!closed) await sink.close()
  }
}

async function ingestLines(
  store: CaseStore,
  request: IngestRequest,
  hooks: IngestHooks,
  started: number,
  target: Target,
  sink: BlockSink
): Promise<IngestSummary> {
  const { sourceId } = target
  const scorer = hooks.scorer ?? neutralScorer
  const scoring = scorer !== neutralScorer
  const signal = hooks.signal
  const commitIntervalMs = request.commitIntervalMs ?? defaults.commitIntervalMs
  const blocksPerCommit = request.blocksPerCommit ?? defaults.blocksPerCommit
  const progressIntervalMs = request.progressIntervalMs ?? defaults.progressIntervalMs
  const checkpointIntervalMs = request.checkpointIntervalMs ?? defaults.checkpointIntervalMs

  const saved = store.minerState()
  const checkpoint: MinerCheckpoint | undefined = saved === null ? undefined : parseCheckpoint(saved)
  // Where the miner's template ids come from; it stays with the miner whatever scores later.
  const seed = checkpoint ? (checkpoint.seed ?? null) : (hooks.model?.digest ?? null)
  const miner = restoreMiner(checkpoint, hooks.seedMiner)
  const times = checkpoint ? TemplateTally.from(checkpoint) : new TemplateTally()
  // Lines of this source the restored miner has already learnt.
  const minedUpTo = checkpoint?.mined[sourceId] ?? 0
  const writer = new BlockBuilder(request.blockLines ?? defaultBlockLines, readTail(store.db, sourceId))
  if (writer.nextLine - 1 !== target.committed) throw new Error(`source ${sourceId}: blocks and progress disagree; the case is damaged`)
  // A resume checks that the file still has the last committed line where the case has it.
  const lastCommitted = target.committed > 0 ? store.lines(sourceId, target.committed, 1)[0] : undefined

  let phase: IngestPhase = target.committed > 0 ? 'replaying' : 'ingesting'
  // A source keeps the session key it started with; else the user's, the model's, or detected.
  const storedKey = sessionKeyOf(store.db, sourceId)
  const sessionKey: SessionKeySnapshot | null | undefined =
    storedKey !== undefined
      ? storedKey
      : request.sessionKey !== undefined
        ? sessionKeyToSnapshot(userSessionKey(request.sessionKey))
        : hooks.reference && (hooks.reference.sessionKey ? sessionKeyToSnapshot(hooks.reference.sessionKey) : null)
  const source = await (hooks.openSource ?? openPackedSource)(target.path, {
    format: target.spec ? undefined : request.format,
    spec: target.spec,
    sessionKey,
    hash: request.hash ?? true,
    // Keep the record holding the last committed line: it is checked against the case.
    skipThrough: Math.min(minedUpTo, target.committed - 1)
  })
  const layout = source.layout
  const batches = new BatchBuffers(source.ownBuffers === true, source.recycle)
  if (source.recycle) sink.returnBuffersTo?.(source.recycle)
  // Settled before any line carries a session id, so a resume groups lines the same way.
  if (storedKey === undefined) putSessionKey(store.db, sourceId, layout.sessionKey)
  const keyed = layout.sessionKey !== null
  /** Session key → id (the lines' session column); a resume goes on from the registered ones. */
  const sessionIds = new SessionKeyTable()
  if (keyed) {
    for (const [key, id] of sessionIdsOf(store.db, sourceId)) {
      if (sessionIds.addKey(key) !== id) throw new Error(`source ${sourceId}: its session ids are not consecutive; the case is damaged`)
    }
  }
  /** Id of the first session not committed yet. */
  let firstNewSession = sessionIds.size
  const totalBytes = () => (layout.compression === 'none' ? statSize(target.path) : null)
  let bytesRead = 0
  store.updateSource(sourceId, {
    format: layout.description,
    formatSpec: JSON.stringify(layout.spec),
    encoding: layout.encoding,
    compression: layout.compression
  })

  let commitMs = 0
  let checkpointMs = 0
  let sessionMs = 0
  let lastCommitAt = performance.now()
  let committedThisRun = false
  let lastCheckpointAt = lastCommitAt
  let lastCheckpointCost = 0
  let lastProgressAt = 0
  const runStart = performance.now()
  const cpuAtStart = threadCpuMs()
  const wholeRun = target.committed === 0
  // A whole run keeps its sessions' lines as it goes (see session-log.ts); a resume reads them back.
  const sessionLog = wholeRun && keyed ? new SessionLog((id) => miner.resolve(id), lineThresholdOf(hooks.reference)) : null
  const loop = new RecordLoop({ miner, times, scorer: scoring ? scorer : null, writer, sessionIds, sessionLog })

  const snapshotRows = (): { json: string; templates: TemplateRow[] } => {
    const snapshot = miner.toSnapshot()
    const ids = snapshot.clusters.length
    const mined = { ...checkpoint?.mined, [sourceId]: writer.nextLine - 1 }
    const json = JSON.stringify({ version: 1, mined, seed, miner: snapshot, ...times.toJson(ids) } satisfies MinerCheckpoint)
    return { json, templates: templateRows(miner, times, ids, hooks.baselineCount) }
  }

  /** Commits everything appended; `position` is the input offset of the first line not appended. */
  const commit = async (position: number, final?: SourcePatch): Promise<void> => {
    const now = performance.now()
    const anomalies = loop.takeAnomalies()
    const newSessions = loop.takeSessions()
    const sessions = newSessions.length > 0 ? { first: firstNewSession, keys: newSessions.join('\n') } : undefined
    firstNewSession = sessionIds.size
    let checkpointData: { json: string; templates: TemplateRow[] } | undefined
    if (final || now - lastCheckpointAt >= Math.max(checkpointIntervalMs, lastCheckpointCost * 20)) {
      checkpointData = snapshotRows()
      lastCheckpointCost = performance.now() - now
      checkpointMs += lastCheckpointCost
      lastCheckpointAt = now
    }
    const commitStart = performance.now()
    const blocks = writer.take()
    await sink.commit({
      blocks,
      batchBuffers: sink.elsewhere ? batches.handOver(blocks, writer.openSources) : undefined,
      lines: writer.nextLine - 1,
      bytesRead: position,
      anomalies,
      sessions,
      minerState: checkpointData?.json,
      templates: checkpointData?.templates,
      patch: final
    })
    if (final) await sink.flush()
    committedThisRun = true
    lastCommitAt = performance.now()
    commitMs += lastCommitAt - commitStart
  }

  const report = (now: number): void => {
    lastProgressAt = now
    if (!hooks.onProgress) return
    const elapsed = (now - runStart) / 1_000
    const lines = writer.nextLine - 1
    const bytes = bytesRead
    const total = totalBytes()
    const rate = elapsed > 0 ? bytes / elapsed : 0
    hooks.onProgress({
      sourceId,
      phase,
      bytes,
      totalBytes: total,
      lines,
      linesPerSecond: elapsed > 0 ? Math.round((lines - target.committed) / elapsed) : 0,
      etaSeconds: total !== null && rate > 0 ? Math.max(0, (total - bytes) / rate) : null,
      elapsedMs: now - started
    })
  }

  let cancelled = false
  let sinceCheck = 0
  report(performance.now())
  const iterator = source.batches[Symbol.asyncIterator]()
  try {
    outer: for (;;) {
      const next = await iterator.next()
      if (next.done === true) break
      const batch = next.value
      batches.reading(batch.text)
      const { offsets, recordLines } = batch
      const records = recordLines.length
      bytesRead = batch.bytesRead
      // Replayed lines and empty batches (inside a giant line) pass no record check: report here.
      if ((phase === 'replaying' || records === 0) && performance.now() - lastProgressAt >= progressIntervalMs) report(performance.now())
      loop.line = 0
      let r = 0
      // Records already in the case (a resume) lead the batches: only the miner needs to see them
      // again (see miner-checkpoint.ts).
      for (; r < records && batch.firstLine + loop.line <= target.committed; r++) {
        const count = recordLines[r] as number
        const lineNo = batch.firstLine + loop.line
        const last = lineNo + count - 1
        if (last > target.committed) throw new Error(`source ${sourceId}: the last commit ends inside a record; the case is damaged`)
        if (lineNo > minedUpTo) times.see(minePacked(miner, batch, r), batch.ts[r] as number)
        if (last === target.committed) {
          const at = loop.line + count - 1
          const textThere = packedLine(batch, at)
          if (!lastCommitted || offsets[at] !== lastCommitted.offset || textThere !== lastCommitted.text) {
            throw new Error(`cannot resume: line ${last} of ${target.path} is not the line the case holds; the file changed`)
          }
          phase = 'ingesting'
        }
        loop.line += count
      }
      while (r < records) {
        if (sinceCheck >= checkEvery || writer.sealedBlocks >= blocksPerCommit) {
          sinceCheck = 0
          const position = offsets[loop.line] as number
          if (signal?.aborted) {
            cancelled = true
            await commit(position, { state: 'cancelled' })
            break outer
          }
          const now = performance.now()
          // The first block goes out as soon as it is sealed: that is when a viewer can show
          // something, and the first screen is what the user is waiting for.
          const first = !committedThisRun && writer.sealedBlocks > 0
          if (first || writer.sealedBlocks >= blocksPerCommit || now - lastCommitAt >= commitIntervalMs) await commit(position)
          if (first || now - lastProgressAt >= progressIntervalMs) report(now)
        }
        const next = loop.run(batch, r, checkEvery - sinceCheck, blocksPerCommit)
        sinceCheck += next - r
        r = next
      }
    }
  } finally {
    await iterator.return?.()
  }

  if (!cancelled) {
    const end = source.end()
    bytesRead = end.bytes
    if (signal?.aborted) {
      cancelled = true
      await commit(end.bytes, { state: 'cancelled' })
    } else {
      phase = 'finishing'
      report(performance.now())
      miner.compact()
      // Sessions are scored before the source is marked complete: a crash in between leaves it
      // resumable, and the resume scores them again (from the committed columns).
      await commit(end.bytes)
      let sessionStart = performance.now()
      const newPass = (): SessionPass =>
        new SessionPass(store.db, sourceId, {
          model: hooks.reference,
          keyed,
          sessionKeys: sessionIds,
          log: sessionLog ?? undefined,
          resolve: (id) => miner.resolve(id),
          templateText: (id) => miner.template(id).text
        })
      // From the run's own log: judged while the commit thread writes the last blocks. Else from
      // the columns, once all of them are in.
      const fromLog = sessionLog ? newPass() : null
      const judged = fromLog?.rows()
      sessionMs = performance.now() - sessionStart
      await sink.flush()
      // The commit thread copies the log into the file meanwhile, rather than this thread's next write.
      sink.checkpoint?.()
      sessionStart = performance.now()
      ;(fromLog ?? newPass()).store(judged)
      sessionMs += performance.now() - sessionStart
      // Hashed by the reader as it read the file (none when the file was not read to its end).
      const sha256 = end.sha256 ?? null
      // Input that ended early keeps every line read, and says why it is not the whole file.
      await commit(end.bytes, {
        state: end.cutShort === undefined ? 'complete' : 'partial',
        error: end.cutShort ?? null,
        finishedAt: Date.now(),
        sha256: sha256 ?? undefined,
        encoding: end.encoding,
        compression: end.compression
      })
    }
  }
  report(performance.now())
  const stored = store.source(sourceId) as SourceRecord
  return {
    sourceId,
    state: cancelled ? 'cancelled' : stored.state === 'partial' ? 'partial' : 'complete',
    error: stored.error,
    format: layout.description,
    encoding: stored.encoding ?? layout.encoding,
    compression: stored.compression ?? layout.compression,
    lines: stored.lines,
    linesAdded: stored.lines - target.committed,
    resumedAt: target.committed,
    bytes: stored.bytesRead,
    // Templates met in this case (a model's miner also knows templates the case never used).
    templates: store.db.prepare(`SELECT count(*) FROM templates WHERE id = canonical_id AND count > 0`).pluck().get() as number,
    scored: scoring,
    model: hooks.model?.name ?? null,
    flagged: wholeRun ? loop.flagged : store.anomalyCount(sourceId),
    topReasons: (wholeRun ? loop.reasons.top(5) : null) ?? topReasons(store, sourceId),
    sessions: sessionSummary(store.db, sourceId),
    sha256: stored.sha256,
    elapsedMs: performance.now() - started,
    commitMs,
    checkpointMs,
    sessionMs,
    pipelineCpuMs: (() => {
      const cpu = threadCpuMs()
      return cpu === null || cpuAtStart === null ? null : cpu - cpuAtStart
    })(),
    readerCpuMs: source.end().readerCpuMs ?? null,
    commitCpuMs: null,
    maxRssBytes: process.resourceUsage().maxRSS * 1024
  }
}

function statSize(path: string): number | null {
  return statSync(path, { throwIfNoEntry: false })?.size ?? null
}

/**
 * One row per template id the miner knows; merged ids point at (and show) their canonical one,
 * which carries the counts of all of them. A model's templates not seen here keep count 0.
 */
export function templateRows(miner: TemplateMiner, times: TemplateTally, ids: number, baselineCount?: (id: number) => number | null): TemplateRow[] {
  const rows: TemplateRow[] = []
  const first = new Map<number, number>()
  const last = new Map<number, number>()
  const counts = new Map<number, number>()
  const baseline = new Map<number, number>()
  for (let id = 0; id < ids; id++) {
    const root = miner.resolve(id)
    counts.set(root, (counts.get(root) ?? 0) + (times.counts[id] ?? 0))
    const reference = baselineCount?.(id)
    if (reference != null) baseline.set(root, (baseline.get(root) ?? 0) + reference)
    const f = times.first[id] ?? Number.NaN
    const l = times.last[id] ?? Number.NaN
    if (f === f && !((first.get(root) ?? Infinity) <= f)) first.set(root, f)
    if (l === l && !((last.get(root) ?? -Infinity) >= l)) last.set(root, l)
  }
  for (let id = 0; id < ids; id++) {
    const root = miner.resolve(id)
    const template = miner.template(root)
    const canonical = root === id
    rows.push({
      id,
      canonicalId: root,
      text: template.text,
      count: canonical ? (counts.get(root) ?? 0) : 0,
      firstTs: (canonical ? first.get(root) : times.first[id]) ?? null,
      lastTs: (canonical ? last.get(root) : times.last[id]) ?? null,
      baselineCount: baselineCount && canonical ? (baseline.get(root) ?? 0) : null,
      score: null
    })
  }
  return rows.map((row) => ({ ...row, firstTs: nanToNull(row.firstTs), lastTs: nanToNull(row.lastTs) }))
}

function nanToNull(value: number | null): number | null {
  return value === null || value !== value ? null : value
}

function topReasons(store: CaseStore, sourceId: number): ReasonCount[] {
  return store.db
    .prepare(
      `SELECT r.value AS reason, count(*) AS count FROM anomaly_reasons a, json_each(a.reasons) r
       WHERE a.source_id = ? GROUP BY r.value ORDER BY count DESC, reason LIMIT 5`
    )
    .all(sourceId) as ReasonCount[]
}
