/**
 * Live tail into a case: lines followed from a source's file are appended to that source, so a
 * viewer re-reading the case (`CaseStore.index()` / `lines()`) sees them arrive. They go through
 * the ingest's steps with the case's own state: the case's miner (as last saved, so template ids
 * agree with the lines already there), the case's recorded model (none: lines stay unscored, as
 * the ingest left them), the source's layout and session key. Each commit is one transaction:
 * the blocks (the source's partial last block is loaded back and goes on filling), the source's
 * line count and position, the anomalies found, new session ids, and now and then the miner's
 * state and the template table (counts, first/last time), as an ingest commits them.
 *
 * Decisions: the source stays `complete` (no schema change; a source that grows is still
 * complete up to its line count). Sessions are not re-scored (the ingest scores them once, at
 * its end). Line offsets are in the file the line came from: after a rotation they start again
 * at 0. `bytes_read` is the position just past the last line appended (inside its CRLF for a
 * CRLF line); a later follow goes on from the first line start there, in the same file if the
 * last stored line is still where the case has it, else from the start of what is there now.
 */
import { open } from 'node:fs/promises'
import { CaseStore } from '../case/case-store.ts'
import type { AnomalyRow } from '../case/case-store.ts'
import { lineFlag } from '../case/block-codec.ts'
import type { SourceWriter } from '../case/source-writer.ts'
import { registerSessions, sessionIdsOf, sessionKeyOf } from '../case/session-store.ts'
import type { NewSession } from '../case/session-store.ts'
import type { FormatSpec } from '../format/index.ts'
import { parseCheckpoint, restoreMiner, TemplateTally } from '../ingest/miner-checkpoint.ts'
import type { MinerCheckpoint } from '../ingest/miner-checkpoint.ts'
import { templateRows } from '../ingest/run-ingest.ts'
import { prepareScoring } from '../ingest/scorer-spec.ts'
import type { Model } from '../model/model.ts'
import { firstSessionId, sessionKeyFromSnapshot } from '../model/sessions/session-key.ts'
import type { SessionKey } from '../model/sessions/session-key.ts'
import type { Line } from '../read/index.ts'
import { followFile } from './follow-file.ts'
import type { FollowChange } from './follow-file.ts'
import { LiveScorer } from './live-scorer.ts'
import { reapplyTemplateEdits } from '../templates/template-edits.ts'
import type { LiveAlert } from './live-scorer.ts'

/** Shortest time between two commits made at once for flagged lines. */
const alertCommitMs = 10
/**
 * Session keys remembered while following. Requests and traces are short-lived, and an id per key
 * ever seen would grow without end in a tail that runs for days (measured: ~70 bytes a line when
 * every line had its own key). A key seen again after this many newer ones starts a new session
 * under the same key.
 */
const recentSessions = 100_000
/** Shortest time between two saves of the miner's state (as the ingest's default). */
const checkpointIntervalMs = 1_000

export class CaseAppender {
  readonly sourceId: number
  readonly #store: CaseStore
  readonly #writer: SourceWriter
  readonly #scorer: LiveScorer
  readonly #model: Model | null
  readonly #checkpoint: MinerCheckpoint | undefined
  readonly #times: TemplateTally
  readonly #sessionKey: SessionKey | null
  /** Recently seen session keys → ids, least recently seen first (bounded: a tail runs for days). */
  readonly #sessionIds: Map<string, number>
  #nextSession: number
  #newSessions: NewSession[] = []
  #anomalies: AnomalyRow[] = []
  #position: number
  #lastCheckpoint = Number.NEGATIVE_INFINITY
  #dirty = false

  /** `model`: the case's recorded model, or null when its lines are not scored. */
  constructor(store: CaseStore, sourceId: number, model: Model | null) {
    const source = store.source(sourceId)
    if (!source) throw new Error(`the case has no source ${sourceId}`)
    if (source.state !== 'complete') throw new Error(`source ${sourceId} (${source.name}) is ${source.state}: finish its ingest before following it`)
    this.sourceId = sourceId
    this.#store = store
    this.#model = model
    const saved = store.minerState()
    this.#checkpoint = saved === null ? undefined : parseCheckpoint(saved)
    this.#times = this.#checkpoint ? TemplateTally.from(this.#checkpoint) : new TemplateTally()
    const stored = sessionKeyOf(store.db, sourceId)
    this.#sessionKey = stored ? sessionKeyFromSnapshot(stored) : null
    const known = this.#sessionKey ? sessionIdsOf(store.db, sourceId) : new Map<string, number>()
    this.#nextSession = known.size
    this.#sessionIds = new Map([...known].slice(-recentSessions))
    this.#scorer = new LiveScorer({
      model,
      miner: restoreMiner(this.#checkpoint, model ? () => model.miner() : undefined),
      learn: true,
      spec: source.formatSpec ? (JSON.parse(source.formatSpec) as FormatSpec) : undefined
    })
    this.#writer = store.writer(sourceId, { autoCommit: false })
    this.#position = source.bytesRead
  }

  /** Lines the source holds, committed or not. */
  get lines(): number {
    return this.#writer.nextLine - 1
  }

  /**
   * Scores and appends followed lines (visible at the next `commit`); returns the alerts, with
   * the lines' numbers in the case.
   */
  append(lines: readonly Line[]): LiveAlert[] {
    const scored = this.#scorer.score(lines)
    const alerts: LiveAlert[] = []
    let session = -1
    for (const s of scored) {
      const lineNo = this.#writer.nextLine
      const ts = s.ts ?? Number.NaN
      let flags = s.line.truncated ? lineFlag.truncated : 0
      if (s.head) {
        this.#times.see(s.templateId, ts)
        session = this.#sessionOf(s.line.text, lineNo)
        if (!s.matched) flags |= lineFlag.unparsed
        if (s.anomaly) {
          this.#anomalies.push({ lineNo, score: s.score, template: s.templateId, reasons: [...s.reasons] })
          const template = this.#scorer.template(s.templateId)
          alerts.push({ lineNo, ts: s.ts, score: s.score, level: s.level, templateId: s.templateId, template, reasons: s.reasons, text: s.line.text })
        }
      } else flags |= lineFlag.continuation
      this.#writer.append({ offset: s.line.offset, text: s.line.text, ts, template: s.templateId, session, level: s.level, flags, score: s.score })
      // Just past the line's LF (or on the LF of a CRLF: a later follow skips to the next line).
      this.#position = s.line.offset + s.line.byteLength + 1
      this.#dirty = true
    }
    return alerts
  }

  /** Makes the appended lines durable and visible, in one transaction. */
  commit(options: { final?: boolean } = {}): void {
    if (!this.#dirty && !options.final) return
    const now = performance.now()
    const checkpoint = options.final === true || now - this.#lastCheckpoint >= checkpointIntervalMs ? this.#checkpointRows() : undefined
    if (checkpoint) this.#lastCheckpoint = now
    const anomalies = this.#anomalies
    const sessions = this.#newSessions
    this.#anomalies = []
    this.#newSessions = []
    const store = this.#store
    this.#writer.commit(this.#position, () => {
      if (anomalies.length > 0) store.putAnomalies(this.sourceId, anomalies)
      if (sessions.length > 0) registerSessions(store.db, this.sourceId, sessions)
      if (checkpoint) {
        store.putMinerState(checkpoint.json)
        store.putTemplates(checkpoint.templates)
        // The rows came from the miner: merges and splits the user made are put back.
        reapplyTemplateEdits(store)
      }
    })
    this.#dirty = false
  }

  #sessionOf(text: string, lineNo: number): number {
    if (this.#sessionKey === null) return -1
    const found = firstSessionId(this.#sessionKey, text)
    if (found === null) return -1
    const sessions = this.#sessionIds
    const known = sessions.get(found.id)
    if (known !== undefined) {
      // Seen again: now the most recent.
      sessions.delete(found.id)
      sessions.set(found.id, known)
      return known
    }
    const id = this.#nextSession++
    sessions.set(found.id, id)
    if (sessions.size > recentSessions) sessions.delete(sessions.keys().next().value as string)
    this.#newSessions.push({ id, key: found.id, line: lineNo })
    return id
  }

  #checkpointRows(): { json: string; templates: ReturnType<typeof templateRows> } {
    const miner = this.#scorer.miner
    const snapshot = miner.toSnapshot()
    const ids = snapshot.clusters.length
    const checkpoint = this.#checkpoint
    const json = JSON.stringify({
      version: 1,
      mined: { ...checkpoint?.mined, [this.sourceId]: this.lines },
      seed: checkpoint ? (checkpoint.seed ?? null) : null,
      miner: snapshot,
      ...this.#times.toJson(ids)
    } satisfies MinerCheckpoint)
    const model = this.#model
    return { json, templates: templateRows(miner, this.#times, ids, model ? (id) => model.templates.get(id)?.count ?? null : undefined) }
  }
}

export interface FollowIntoCaseOptions {
  readonly signal?: AbortSignal | undefined
  readonly pollMs?: number | undefined
  /** Longest time appended lines wait before they are committed (default 100 ms). */
  readonly commitIntervalMs?: number | undefined
  readonly onAlerts?: ((alerts: readonly LiveAlert[]) => void) | undefined
  /** After each commit, with the source's line count. */
  readonly onCommit?: ((lines: number) => void) | undefined
  readonly onChange?: ((change: FollowChange) => void) | undefined
}

/**
 * Follows a complete source's file and appends what it gains to the case until the signal
 * aborts; resolves with the lines added.
 */
export async function followIntoCase(casePath: string, sourceId: number, options: FollowIntoCaseOptions = {}): Promise<{ linesAdded: number }> {
  const scoring = await prepareScoring(undefined, casePath)
  const store = CaseStore.open(casePath)
  try {
    const appender = new CaseAppender(store, sourceId, scoring.reference ?? null)
    const source = store.source(sourceId)
    if (!source) throw new Error(`the case has no source ${sourceId}`)
    const start = appender.lines
    const from = (await sameFile(store, sourceId, source.path, start)) ? source.bytesRead : 'start'
    const follower = followFile(source.path, { from, pollMs: options.pollMs, signal: options.signal, onChange: options.onChange })
    const commitIntervalMs = options.commitIntervalMs ?? 100
    let lastCommit = performance.now()
    let timer: ReturnType<typeof setTimeout> | null = null
    const commit = (): void => {
      if (timer !== null) clearTimeout(timer)
      timer = null
      appender.commit()
      lastCommit = performance.now()
      options.onCommit?.(appender.lines)
    }
    try {
      for await (const batch of follower.batches()) {
        const alerts = appender.append(batch)
        if (alerts.length > 0) options.onAlerts?.(alerts)
        // Commit at once after a quiet spell or when a line was flagged (what the viewer waits
        // for), else at most every interval under load; even an alert storm commits at most
        // every `alertCommitMs`.
        const wait = alerts.length > 0 ? alertCommitMs : commitIntervalMs
        const since = performance.now() - lastCommit
        if (since >= wait) commit()
        else if (timer === null || alerts.length > 0) {
          if (timer !== null) clearTimeout(timer)
          timer = setTimeout(commit, wait - since)
        }
      }
    } finally {
      if (timer !== null) clearTimeout(timer)
      appender.commit({ final: true })
      options.onCommit?.(appender.lines)
    }
    return { linesAdded: appender.lines - start }
  } finally {
    store.close()
  }
}

/** Whether the file at `path` still holds the source's last stored line where the case has it. */
async function sameFile(store: CaseStore, sourceId: number, path: string, lines: number): Promise<boolean> {
  if (lines === 0) return true
  const last = store.lines(sourceId, lines, 1)[0]
  if (!last) return false
  // A line cut for display cannot be compared byte for byte: trust the path.
  if ((last.flags & lineFlag.truncated) !== 0) return true
  const expected = Buffer.from(last.text)
  let handle
  try {
    handle = await open(path, 'r')
  } catch {
    return false
  }
  try {
    const buf = Buffer.alloc(expected.length)
    const { bytesRead } = await handle.read(buf, 0, expected.length, last.offset)
    return bytesRead === expected.length && buf.equals(expected)
  } finally {
    await handle.close()
  }
}
