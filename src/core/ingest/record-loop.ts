/**
 * The ingest's work per record: mine, score, tie to a session, append its lines to the blocks.
 * Kept apart from commits, progress and cancel (run-ingest.ts), and synchronous: V8 optimises this
 * small loop once, where inside the whole (async) ingest function a deoptimisation on a rare path,
 * a commit say, recompiled all of it each time (measured: 5 rounds of 25–73 ms compiles per 1M
 * lines, on the helper threads that share the cores with the pipeline).
 */
import { AnomalyColumnsBuilder } from '../case/anomaly-columns.ts'
import type { AnomalyColumns } from '../case/anomaly-columns.ts'
import type { BlockBuilder } from '../case/block-builder.ts'
import type { TemplateMiner } from '../mine/index.ts'
import type { LineScorer, ScoreInput } from '../model/line-scorer.ts'
import type { LevelCode } from '../../shared/levels.ts'
import { sliceText } from '../read/batch-text.ts'
import { maxParamGroups } from '../mine/param-matcher.ts'
import { parseNumber } from '../model/lines/param-stats.ts'
import { minePacked, packedContent } from './packed-records.ts'
import type { PackedBatch } from './packed-records.ts'
import { ReasonTally } from './reason-tally.ts'
import type { TemplateTally } from './miner-checkpoint.ts'
import type { SessionKeyTable } from './session-key-table.ts'
import type { SessionLog } from './session-log.ts'
import { lineFlag } from '../case/block-codec.ts'

/**
 * The scorer's view of a record. Template text and params are computed only if the scorer reads
 * them (most lines never need them), and once per line however often it reads them. Params are
 * found in the batch's bytes by the native addon where it can (mine/param-matcher.ts): a string
 * is then sliced only for a value the scorer reads as text. One object is reused (`next` moves it
 * to the next record): scorers must not keep it.
 */
class RecordInput implements ScoreInput {
  templateId = 0
  level: LevelCode = 0
  ts: number | null = null
  readonly #miner: TemplateMiner
  #batch: PackedBatch | null = null
  #record = 0
  #content: string | null = null
  #params: readonly string[] | null = null
  /** Params found in the bytes: how many (-1: not looked for yet, or found as strings), their spans and numbers. */
  #found = -1
  readonly #spans = new Int32Array(2 * maxParamGroups)
  readonly #numbers = new Float64Array(maxParamGroups)

  constructor(miner: TemplateMiner) {
    this.#miner = miner
  }

  next(templateId: number, level: LevelCode, ts: number | null, batch: PackedBatch, record: number): void {
    this.templateId = templateId
    this.level = level
    this.ts = ts
    this.#batch = batch
    this.#record = record
    this.#content = null
    this.#params = null
    this.#found = -1
  }

  /** The message: sliced from the batch only if the scorer reads it (for params, say). */
  get content(): string {
    return (this.#content ??= this.#batch ? packedContent(this.#batch, this.#record) : '')
  }

  get template(): string {
    return this.#miner.templateText(this.templateId)
  }

  get params(): readonly string[] {
    if (this.#params === null) {
      const count = this.#find()
      this.#params = count < 0 ? this.#miner.params(this.templateId, this.content) : Array.from({ length: count }, (_, i) => this.param(i))
    }
    return this.#params
  }

  get paramCount(): number {
    const count = this.#find()
    return count < 0 ? this.params.length : count
  }

  param(i: number): string {
    if (this.#find() < 0) return this.params[i] ?? ''
    return sliceText((this.#batch as PackedBatch).text, this.#spans[2 * i] as number, this.#spans[2 * i + 1] as number)
  }

  paramNumber(i: number): number | null {
    if (this.#find() < 0) return parseNumber(this.params[i] ?? '')
    const number = this.#numbers[i] as number
    // NaN: no number; +Infinity: one only parseNumber reads.
    return number !== number ? null : number === Number.POSITIVE_INFINITY ? parseNumber(this.param(i)) : number
  }

  /** The params' count found in the bytes, or -1 where they come as strings (`params`). */
  #find(): number {
    if (this.#found === -1 && this.#params === null) {
      const batch = this.#batch
      const text = batch?.text
      const start = batch ? (batch.contentStart[this.#record] as number) : -1
      const matcher = batch && start >= 0 && typeof text === 'object' ? this.#miner.paramMatcher(this.templateId) : null
      const found = matcher && typeof text === 'object' ? matcher.match(text, start, batch?.contentEnd[this.#record] as number, this.#spans, this.#numbers) : -1
      // Not found in the bytes: -2 marks the question answered, the strings to be used.
      this.#found = found < 0 ? -2 : found
    }
    return this.#found < 0 ? -1 : this.#found
  }
}

export interface RecordLoopParts {
  readonly miner: TemplateMiner
  readonly times: TemplateTally
  /** Null: no scoring (every line scores 0). */
  readonly scorer: LineScorer | null
  readonly writer: BlockBuilder
  readonly sessionIds: SessionKeyTable
  /** Where the sessions' lines are kept for the session pass (a whole run of a keyed source), or null. */
  readonly sessionLog: SessionLog | null
}

export class RecordLoop {
  /** Batch line index of the next record's head (`run` and the caller's replay move it). */
  line = 0
  /** What this run flagged: the whole source's answer when it read the source from its start. */
  flagged = 0
  readonly reasons = new ReasonTally()
  readonly #anomalies = new AnomalyColumnsBuilder()
  /** Keys of the sessions first seen since the last `takeSessions`. */
  #newSessions: string[] = []
  readonly #parts: RecordLoopParts
  readonly #input: RecordInput

  constructor(parts: RecordLoopParts) {
    this.#parts = parts
    this.#input = new RecordInput(parts.miner)
  }

  /**
   * Appends records of `batch` from record `r` on: at most `budget` of them, and none once
   * `maxSealed` blocks are sealed (the first always goes). Returns the next record's index.
   */
  run(batch: PackedBatch, r: number, budget: number, maxSealed: number): number {
    const { miner, times, scorer, writer, sessionIds, sessionLog } = this.#parts
    const { text, lineStarts, offsets, flags, recordLines, sessionStart, sessionEnd } = batch
    const input = this.#input
    const end = Math.min(recordLines.length, r + budget)
    let line = this.line
    for (let first = true; r < end && (first || writer.sealedBlocks < maxSealed); r++, first = false) {
      const count = recordLines[r] as number
      const ts = batch.ts[r] as number
      const template = minePacked(miner, batch, r)
      const level = batch.levels[r] as number
      times.see(template, ts)
      let score = 0
      if (scorer !== null) {
        input.next(template, level as LevelCode, ts === ts ? ts : null, batch, r)
        const result = scorer.scoreLine(input)
        score = result.score
        if (result.anomaly) {
          this.#anomalies.add(batch.firstLine + line, score, template, result.reasons)
          this.flagged++
          this.reasons.add(result)
        }
      }
      let session = -1
      const keyStart = sessionStart[r] as number
      if (keyStart >= 0) session = this.#session(text, keyStart, sessionEnd[r] as number, sessionIds)
      // Continuation lines (stack frames) share their record's time, level, template, session and score.
      for (const last = line + count; line < last; line++) {
        // A session's lines are its head lines, as the session pass counts them from the columns.
        if (sessionLog !== null && ((flags[line] as number) & lineFlag.continuation) === 0) {
          if (session >= 0) sessionLog.add(session, template, writer.nextLine, ts, score)
          else sessionLog.see(ts)
        }
        writer.appendRange(offsets[line] as number, ts, template, session, level, flags[line] as number, score, text, lineStarts[line] as number, (lineStarts[line + 1] as number) - 1)
      }
    }
    this.line = line
    return r
  }

  /** The anomalies found since the last call. */
  takeAnomalies(): AnomalyColumns {
    return this.#anomalies.take()
  }

  /** The keys of the sessions first seen since the last call, in id order. */
  takeSessions(): string[] {
    const out = this.#newSessions
    this.#newSessions = []
    return out
  }

  #session(text: PackedBatch['text'], start: number, end: number, ids: SessionKeyTable): number {
    let session = ids.find(text, start, end)
    if (session < 0) {
      session = ids.add(text, start, end)
      this.#newSessions.push(sliceText(text, start, end))
    }
    return session
  }
}
