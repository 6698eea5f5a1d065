/**
 * A case: its sources and their lines, templates, anomalies and marks, over one SQLite file.
 * Writers append; everything else reads through indexed queries or a source's in-memory
 * `LineIndex`.
 */
import { isAscii } from 'node:buffer'
import type { AnomalyColumns } from './anomaly-columns.ts'
import { parseReasons, reasonListIds } from './reason-lists.ts'
import { basename } from 'node:path'
import type { Statement } from 'better-sqlite3'
import type { Db } from '../store/sqlite.ts'
import { BlockReader } from './block-reader.ts'
import type { StoredLine } from './block-reader.ts'
import { createCaseFile, openCaseFile } from './case-file.ts'
import type { CaseFile } from './case-file.ts'
import { filterLines } from './filter-lines.ts'
import type { FilterContext, TextRun } from './filter-lines.ts'
import type { LineFilter } from '../../shared/case/line-filter.ts'
import { LineIndex } from './line-index.ts'
import { sourceTimeRange } from './source-time-range.ts'
import { SourceWriter } from './source-writer.ts'
import { TextIndex, textIndexStatus } from './text-index.ts'
import type { SourceWriterOptions } from './source-writer.ts'
import type { LineList } from './line-list.ts'

export type SourceState = 'ingesting' | 'complete' | 'partial' | 'cancelled' | 'failed'

export interface SourceRecord {
  id: number
  path: string
  name: string
  size: number
  mtimeMs: number | null
  sha256: string | null
  format: string | null
  /** The detected layout (a FormatSpec as JSON). */
  formatSpec: string | null
  encoding: string | null
  compression: string | null
  state: SourceState
  lines: number
  bytesRead: number
  startedAt: number | null
  finishedAt: number | null
  error: string | null
}

export interface AnomalyRow {
  lineNo: number
  score: number
  template: number
  reasons: string[]
}

export interface TemplateRow {
  id: number
  canonicalId: number
  text: string
  count: number
  firstTs: number | null
  lastTs: number | null
  baselineCount: number | null
  score: number | null
  /**
   * The model's id for this template, as the last re-score mapped it; null when the model never
   * saw it (`baselineCount` 0) or no re-score mapped it (an ingest with a model mines with the
   * model's own ids, so there a known template's id is the model's).
   */
  modelTemplate?: number | null | undefined
}

/**
 * A block's text is searched in pieces of at most this many bytes (whole lines): a string over
 * 128 KB lives in V8's large-object space, mapped afresh for each one and unmapped when collected,
 * and on the machines measured here a fresh page costs ~10 µs: a 130 KB block's string cost
 * 0.6 ms of page faults before any search (a regex reading 4 blocks: 267 faults a run, every run).
 */
const textPieceBytes = 64 * 1024

/** A block's text (`lines` lines from `firstLine`, joined by '\n') as runs of whole lines of at most `textPieceBytes` (or one line). */
function* textPieces(firstLine: number, lines: number, text: Buffer): Generator<TextRun> {
  let line = firstLine
  for (let at = 0; at <= text.length; ) {
    let end = text.length
    if (end - at > textPieceBytes) {
      end = text.lastIndexOf(10, at + textPieceBytes)
      if (end < at) end = text.indexOf(10, at + textPieceBytes)
      if (end < 0) end = text.length
    }
    let count = firstLine + lines - line
    if (end < text.length) {
      count = 1
      for (let i = at; i < end; i++) if (text[i] === 10) count++
    }
    const piece = text.subarray(at, end)
    yield { firstLine: line, lineCount: count, text: piece.toString('utf8'), ascii: isAscii(piece) }
    line += count
    at = end + 1
  }
}

/** Blocks a warming step reads (about 50 ms of work at 1,024 lines a block). */
const warmingBlocks = 256

export class CaseStore {
  readonly path: string
  readonly #file: CaseFile
  readonly #db: Db
  readonly #blocks: BlockReader
  readonly #indexes = new Map<number, LineIndex>()
  readonly #textIndexes = new Map<number, TextIndex>()
  #textStatements: { seek: Statement; range: Statement } | undefined

  private constructor(file: CaseFile) {
    this.#file = file
    this.#db = file.db
    this.path = file.path
    this.#blocks = new BlockReader(file.db)
  }

  static create(path: string): CaseStore {
    return new CaseStore(createCaseFile(path))
  }

  static open(path: string): CaseStore {
    return new CaseStore(openCaseFile(path))
  }

  get db(): Db {
    return this.#db
  }

  addSource(source: { path: string; size: number; mtimeMs?: number | null; startedAt: number }): number {
    const result = this.#db
      .prepare(`INSERT INTO sources (path, name, size, mtime_ms, state, started_at) VALUES (?, ?, ?, ?, 'ingesting', ?)`)
      .run(source.path, basename(source.path), source.size, source.mtimeMs ?? null, source.startedAt)
    return Number(result.lastInsertRowid)
  }

  updateSource(
    id: number,
    patch: Partial<Pick<SourceRecord, 'state' | 'format' | 'formatSpec' | 'encoding' | 'compression' | 'sha256' | 'finishedAt' | 'error'>>
  ): void {
    const columns: Record<string, string> = {
      state: 'state',
      format: 'format',
      formatSpec: 'format_spec',
      encoding: 'encoding',
      compression: 'compression',
      sha256: 'sha256',
      finishedAt: 'finished_at',
      error: 'error'
    }
    const entries = Object.entries(patch).filter(([, value]) => value !== undefined)
    if (entries.length === 0) return
    const sets = entries.map(([key]) => `${columns[key]} = ?`).join(', ')
    this.#db.prepare(`UPDATE sources SET ${sets} WHERE id = ?`).run(...entries.map(([, value]) => value), id)
  }

  sources(): SourceRecord[] {
    return (this.#db.prepare(`SELECT * FROM sources ORDER BY id`).all() as SourceRow[]).map(toSource)
  }

  source(id: number): SourceRecord | undefined {
    const row = this.#db.prepare(`SELECT * FROM sources WHERE id = ?`).get(id) as SourceRow | undefined
    return row && toSource(row)
  }

  writer(sourceId: number, options?: SourceWriterOptions): SourceWriter {
    return new SourceWriter(this.#db, sourceId, options)
  }

  lines(sourceId: number, from: number, count: number): StoredLine[] {
    return this.#blocks.window(sourceId, from, count)
  }

  /** The text of whole blocks overlapping lines `from`…`to`, in pieces (see `textPieces`), for text search (see filter-lines.ts). */
  *blockTexts(sourceId: number, from: number, to: number): Generator<TextRun> {
    // Seek to the block holding `from` first: a range on `first_line` alone would walk every
    // block before it (quadratic over a whole-file search). Statements prepared once: a search
    // asks for thousands of runs.
    this.#textStatements ??= {
      seek: this.#db.prepare(`SELECT first_line FROM blocks WHERE source_id = ? AND first_line <= ? ORDER BY first_line DESC LIMIT 1`).pluck(),
      range: this.#db.prepare(`SELECT first_line, line_count, text FROM blocks WHERE source_id = ? AND first_line BETWEEN ? AND ? ORDER BY first_line`)
    }
    const { seek, range } = this.#textStatements
    const start = (seek.get(sourceId, from) as number | undefined) ?? from
    const rows = range.all(sourceId, start, to) as { first_line: number; line_count: number; text: Buffer }[]
    for (const row of rows) yield* textPieces(row.first_line, row.line_count, row.text)
  }

  /** Everything `filterLines` needs for one source, current as of now. */
  filterContext(sourceId: number): FilterContext {
    const canonical = this.canonicalTemplates()
    return {
      index: this.index(sourceId),
      canonical: (id) => canonical.get(id) ?? id,
      texts: (from, to) => this.lines(sourceId, from, to - from + 1),
      blockTexts: (from, to) => this.blockTexts(sourceId, from, to),
      textIndex: this.textIndex(sourceId)
    }
  }

  /**
   * The ids of the source's lines matching `filter`, ascending: `filterLines` with everything
   * this case has (posting lists, whole-block text search, the text index as far as it is built).
   */
  filter(sourceId: number, filter: LineFilter): LineList {
    return filterLines(filter, this.filterContext(sourceId))
  }

  /**
   * Builds what a viewer's first requests would otherwise wait for (the line index, its posting
   * lists, the text index), yielding between steps of at most a few hundred milliseconds at 10M
   * lines, for a caller to serve requests in between.
   */
  *warming(sourceId: number): Generator<void, void> {
    const index = this.#indexFor(sourceId)
    while (!index.refresh(this.#db, sourceId, warmingBlocks)) yield
    index.levelPostings()
    yield
    index.templatePostings()
    yield
    const text = this.#textIndexFor(sourceId)
    while (!text.refresh(warmingBlocks)) yield
    text.warm()
  }

  /** The source's text index in memory, topped up with blocks indexed since (see text-index.ts). */
  textIndex(sourceId: number): TextIndex {
    const index = this.#textIndexFor(sourceId)
    index.refresh()
    return index
  }

  #textIndexFor(sourceId: number): TextIndex {
    let index = this.#textIndexes.get(sourceId)
    if (!index) this.#textIndexes.set(sourceId, (index = new TextIndex(this.#db, sourceId)))
    return index
  }

  /** How far the background text index has got for a source. */
  textIndexStatus(sourceId: number): { blocks: number; indexed: number; bytes: number; ready: boolean } {
    return textIndexStatus(this.#db, sourceId)
  }

  /** The source's in-memory columns, brought up to date with what has been committed. */
  index(sourceId: number): LineIndex {
    const index = this.#indexFor(sourceId)
    index.refresh(this.#db, sourceId)
    return index
  }

  #indexFor(sourceId: number): LineIndex {
    let index = this.#indexes.get(sourceId)
    if (!index) this.#indexes.set(sourceId, (index = new LineIndex()))
    return index
  }

  /** Forget decoded scores after another connection re-scored the source (see rescore/). */
  scoresChanged(sourceId: number): void {
    this.#blocks.invalidate()
    this.#indexes.get(sourceId)?.refreshScores(this.#db, sourceId)
  }

  putAnomalies(sourceId: number, rows: readonly AnomalyRow[]): void {
    const insert = this.#insertAnomaly()
    this.#db.transaction(() => {
      const listId = reasonListIds(this.#db)
      for (const row of rows) insert.run(sourceId, row.lineNo, row.score, row.template, listId(JSON.stringify(row.reasons)))
    })()
  }

  /** `putAnomalies` of flagged lines as columns (an ingest's, see anomaly-columns.ts). */
  putAnomalyColumns(sourceId: number, anomalies: AnomalyColumns): void {
    const insert = this.#insertAnomaly()
    const { count, lines, scores, templates, reasonIds, reasons } = anomalies
    this.#db.transaction(() => {
      const listId = reasonListIds(this.#db)
      const ids = reasons.map(listId)
      for (let i = 0; i < count; i++) insert.run(sourceId, lines[i], scores[i], templates[i], ids[reasonIds[i] as number])
    })()
  }

  #insertAnomaly(): Statement {
    return this.#db.prepare(
      `INSERT INTO anomalies (source_id, line_no, score, template_id, reasons_id) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (source_id, line_no) DO UPDATE SET score = excluded.score, template_id = excluded.template_id, reasons_id = excluded.reasons_id`
    )
  }

  anomaly(sourceId: number, lineNo: number): AnomalyRow | undefined {
    const row = this.#db
      .prepare(`SELECT line_no, score, template_id, reasons FROM anomaly_reasons WHERE source_id = ? AND line_no = ?`)
      .get(sourceId, lineNo) as { line_no: number; score: number; template_id: number; reasons: string } | undefined
    return row && { lineNo: row.line_no, score: row.score, template: row.template_id, reasons: parseReasons(row.reasons) }
  }

  /** The next flagged line after (or before) `fromLine`, or null at the end. */
  nextAnomaly(sourceId: number, fromLine: number, direction: 'next' | 'previous'): number | null {
    const sql =
      direction === 'next'
        ? `SELECT line_no FROM anomalies WHERE source_id = ? AND line_no > ? ORDER BY line_no LIMIT 1`
        : `SELECT line_no FROM anomalies WHERE source_id = ? AND line_no < ? ORDER BY line_no DESC LIMIT 1`
    const found = this.#db.prepare(sql).pluck().get(sourceId, fromLine) as number | undefined
    return found ?? null
  }

  /** First and last timestamp of a source (see `sourceTimeRange`). */
  timeRange(sourceId: number): { min: number; max: number } | null {
    return sourceTimeRange(this.#db, sourceId)
  }

  anomalyCount(sourceId: number): number {
    return this.#db.prepare(`SELECT count(*) FROM anomalies WHERE source_id = ?`).pluck().get(sourceId) as number
  }

  putTemplates(rows: readonly TemplateRow[]): void {
    const insert = this.#db.prepare(
      `INSERT INTO templates (id, canonical_id, text, count, first_ts, last_ts, baseline_count, score)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET canonical_id = excluded.canonical_id, text = excluded.text, count = excluded.count,
         first_ts = excluded.first_ts, last_ts = excluded.last_ts, baseline_count = excluded.baseline_count, score = excluded.score`
    )
    this.#db.transaction(() => {
      for (const t of rows) insert.run(t.id, t.canonicalId, t.text, t.count, t.firstTs, t.lastTs, t.baselineCount, t.score)
    })()
  }

  templates(): TemplateRow[] {
    return (
      this.#db
        .prepare(`SELECT * FROM templates WHERE id = canonical_id ORDER BY count DESC`)
        .all() as {
        id: number
        canonical_id: number
        text: string
        count: number
        first_ts: number | null
        last_ts: number | null
        baseline_count: number | null
        score: number | null
        model_template: number | null
      }[]
    ).map((r) => ({
      id: r.id,
      canonicalId: r.canonical_id,
      text: r.text,
      count: r.count,
      firstTs: r.first_ts,
      lastTs: r.last_ts,
      baselineCount: r.baseline_count,
      score: r.score,
      modelTemplate: r.model_template
    }))
  }

  /**
   * Records the model lines are scored with (its file's JSON, so the case stays self-contained)
   * as the active one; the same model again is not stored twice.
   */
  putModel(name: string, snapshot: string, createdAt: number): number {
    const same = this.#db.prepare(`SELECT id FROM models WHERE snapshot = ?`).pluck().get(snapshot) as number | undefined
    return this.#db.transaction(() => {
      this.#db.prepare(`UPDATE models SET active = 0 WHERE active = 1`).run()
      if (same !== undefined) {
        this.#db.prepare(`UPDATE models SET active = 1 WHERE id = ?`).run(same)
        return same
      }
      return Number(this.#db.prepare(`INSERT INTO models (name, created_at, active, snapshot) VALUES (?, ?, 1, ?)`).run(name, createdAt, snapshot).lastInsertRowid)
    })()
  }

  activeModel(): { id: number; name: string; snapshot: string } | null {
    return (this.#db.prepare(`SELECT id, name, snapshot FROM models WHERE active = 1 ORDER BY id DESC LIMIT 1`).get() as { id: number; name: string; snapshot: string } | undefined) ?? null
  }

  /** The miner's saved state (JSON written by the ingest pipeline), or null before the first save. */
  minerState(): string | null {
    return (this.#db.prepare(`SELECT snapshot FROM miner_state WHERE id = 1`).pluck().get() as string | undefined) ?? null
  }

  putMinerState(snapshot: string): void {
    this.#db
      .prepare(`INSERT INTO miner_state (id, snapshot) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot`)
      .run(snapshot)
  }

  /** Raw template id → canonical id, for ids the miner merged. */
  canonicalTemplates(): Map<number, number> {
    const map = new Map<number, number>()
    for (const row of this.#db.prepare(`SELECT id, canonical_id FROM templates`).all() as { id: number; canonical_id: number }[]) {
      map.set(row.id, row.canonical_id)
    }
    return map
  }

  close(): void {
    this.#file.close()
  }
}

interface SourceRow {
  id: number
  path: string
  name: string
  size: number
  mtime_ms: number | null
  sha256: string | null
  format: string | null
  format_spec: string | null
  encoding: string | null
  compression: string | null
  state: SourceState
  lines: number
  bytes_read: number
  started_at: number | null
  finished_at: number | null
  error: string | null
}

function toSource(row: SourceRow): SourceRecord {
  return {
    id: row.id,
    path: row.path,
    name: row.name,
    size: row.size,
    mtimeMs: row.mtime_ms,
    sha256: row.sha256,
    format: row.format,
    formatSpec: row.format_spec,
    encoding: row.encoding,
    compression: row.compression,
    state: row.state,
    lines: row.lines,
    bytesRead: row.bytes_read,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    error: row.error
  }
}
