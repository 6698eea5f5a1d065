/**
 * Scores lines as they are followed, with the same steps as a scan: split the header (layout
 * given, or detected from a sample of the file, else from the first lines pushed), mine the
 * message with the model's miner (a template the model never saw gets a new id, which the model
 * then judges as new), and score with the model's line model. Continuation lines (stack frames,
 * indented lines) belong to the record above them, even when they arrive in a later batch: they
 * take its template and score, and only a record's first line can raise an alert. A record is
 * scored as soon as its first line arrives, so an alert never waits for the next line.
 */
import { looksLikeContinuation, looksLikeFrame } from '../read/index.ts'
import type { Line } from '../read/index.ts'
import { createLineSplitter, detectFormat } from '../format/index.ts'
import type { FormatSpec, LineSplitterLike } from '../format/index.ts'
import { TemplateMiner } from '../mine/index.ts'
import { neutralScorer } from '../model/line-scorer.ts'
import type { LineScorer } from '../model/line-scorer.ts'
import type { Model } from '../model/model.ts'
import { normalizeLevel } from '../../shared/levels.ts'
import type { LevelCode } from '../../shared/levels.ts'

export interface LiveScorerOptions {
  /** What scores the lines; null: nothing is flagged (lines are still split and mined). */
  readonly model: Model | null
  /** The miner to go on with (a case's own); default: the model's, else a new one. */
  readonly miner?: TemplateMiner | undefined
  /**
   * Mine every record into the miner, as an ingest does (a case's miner counts what it holds);
   * default: only records matching no template are added, as a scan does.
   */
  readonly learn?: boolean | undefined
  /** User format string (loghub style); skips detection. */
  readonly format?: string | undefined
  /** A layout found earlier; skips detection. */
  readonly spec?: FormatSpec | undefined
  /** Lines to detect the layout from (e.g. the start of the file); else the first batch pushed. */
  readonly sample?: readonly string[] | undefined
  /** Group stack traces and indented lines under their record (default true). */
  readonly multiline?: boolean | undefined
  /** Year for timestamps that carry none. */
  readonly defaultYear?: number | undefined
}

/** One followed line with what the model made of its record. */
export interface ScoredLine {
  readonly line: Line
  /** False for a continuation line: it shares its record's fields and score. */
  readonly head: boolean
  /** Whether the record's first line fit the header layout. */
  readonly matched: boolean
  readonly ts: number | null
  readonly level: LevelCode
  readonly templateId: number
  readonly score: number
  readonly anomaly: boolean
  readonly reasons: readonly string[]
}

export interface LiveAlert {
  /** Line number in the follow (see `FileFollower`). */
  readonly lineNo: number
  /** Epoch ms from the line's header, or null. */
  readonly ts: number | null
  readonly score: number
  readonly level: LevelCode
  readonly templateId: number
  readonly template: string
  readonly reasons: readonly string[]
  readonly text: string
}

const NO_REASONS: readonly string[] = Object.freeze([])

export class LiveScorer {
  readonly #options: LiveScorerOptions
  readonly #miner: TemplateMiner
  readonly #lines: LineScorer
  #splitter: LineSplitterLike | null = null
  #isContinuation: (text: string) => boolean = () => false
  /** The record continuation lines join: its first line's results. */
  #open: ScoredLine | null = null

  constructor(options: LiveScorerOptions) {
    this.#options = options
    this.#miner = options.miner ?? options.model?.miner() ?? new TemplateMiner()
    this.#lines = options.model?.lineModel() ?? neutralScorer
    const spec = options.format !== undefined ? ({ kind: 'pattern', format: options.format } as const) : options.spec
    if (spec !== undefined) this.#useLayout(spec)
    else if (options.sample !== undefined && options.sample.length > 0) this.#detect(options.sample)
  }

  /** The header layout in use (loghub style), or null before the first lines. */
  get layout(): string | null {
    return this.#splitter?.description ?? null
  }

  get spec(): FormatSpec | null {
    return this.#splitter?.spec ?? null
  }

  get miner(): TemplateMiner {
    return this.#miner
  }

  template(id: number): string {
    return this.#miner.template(id).text
  }

  /** Scores a batch of lines in order; every line comes back, heads and continuations. */
  score(lines: readonly Line[]): ScoredLine[] {
    if (lines.length === 0) return []
    if (this.#splitter === null) this.#detect(lines.map((l) => l.text))
    const splitter = this.#splitter as LineSplitterLike
    const multiline = this.#options.multiline !== false
    const out: ScoredLine[] = []
    for (const line of lines) {
      const open = this.#open
      if (multiline && open !== null && this.#isContinuation(line.text)) {
        out.push({ ...open, line, head: false })
        continue
      }
      const split = splitter.split(line.text)
      const content = split.content
      const miner = this.#miner
      const templateId = this.#options.learn === true ? miner.add(content) : (miner.match(content) ?? miner.add(content))
      const level = normalizeLevel(split.fields.level)
      const ts = split.fields.ts
      const result = this.#lines.scoreLine({ templateId, template: miner.template(templateId).text, params: miner.params(templateId, content), level, ts, content })
      const scored: ScoredLine = {
        line,
        head: true,
        matched: split.matched,
        ts,
        level,
        templateId,
        score: result.score,
        anomaly: result.anomaly,
        reasons: result.anomaly ? result.reasons : NO_REASONS
      }
      this.#open = scored
      out.push(scored)
    }
    return out
  }

  /** The alerts among scored lines: flagged records' first lines. */
  alerts(scored: readonly ScoredLine[]): LiveAlert[] {
    const out: LiveAlert[] = []
    for (const s of scored) {
      if (!s.head || !s.anomaly) continue
      out.push({ lineNo: s.line.lineNo, ts: s.ts, score: s.score, level: s.level, templateId: s.templateId, template: this.template(s.templateId), reasons: s.reasons, text: s.line.text })
    }
    return out
  }

  #detect(sample: readonly string[]): void {
    const year = this.#options.defaultYear ?? new Date().getUTCFullYear()
    this.#useLayout(detectFormat(sample.filter((l) => !looksLikeContinuation(l)), year))
  }

  #useLayout(spec: FormatSpec): void {
    const splitter = createLineSplitter(spec, this.#options.defaultYear ?? new Date().getUTCFullYear())
    this.#splitter = splitter
    // As in openRecordStream: with a header layout a line continues a record only if it also
    // lacks a header; without one, only indentation and stack frames say so.
    this.#isContinuation = spec.kind === 'none' ? looksLikeFrame : (text) => looksLikeContinuation(text) && !splitter.startsRecord(text)
  }
}
