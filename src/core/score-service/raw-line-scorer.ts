/**
 * Scores raw log lines, one at a time, against a trained model: split the header with the
 * model's layout, find the line's template with the model's miner (read-only: a service must
 * not learn from what it judges, and must not grow without bound), then score with the model's
 * line scorer, whose cache keys on template, level and parameter verdicts.
 *
 * A line no baseline template accepts is novel. It gets a stand-in id per masked shape, so two
 * novel lines of the same shape share a score (and cache entry) while different shapes are
 * judged apart. Stand-ins are capped: past `maxNovelShapes`, the stand-ins and the line scorer
 * (whose per-template caches they fed) are dropped and rebuilt, so memory stays bounded
 * whatever the callers send.
 */
import { createLineSplitter } from '../format/index.ts'
import type { FormatSpec, LineSplitterLike } from '../format/index.ts'
import { maskContent } from '../mine/index.ts'
import type { TemplateMiner } from '../mine/index.ts'
import type { LineModel } from '../model/lines/line-model.ts'
import type { Model } from '../model/model.ts'
import { normalizeLevel } from '../../shared/levels.ts'

export interface RawLineScore {
  /** 0 (fits the model) to 1 (as anomalous as it gets). */
  score: number
  anomaly: boolean
  /** The model's threshold the score was judged against. */
  threshold: number
  /** The baseline template, or the masked line when no baseline template accepts it. */
  template: string
  /** Whether a baseline template accepted the line. */
  known: boolean
  reasons: readonly string[]
}

export interface RawLineScorerOptions {
  /** Distinct novel shapes remembered before the stand-ins and caches are reset. */
  maxNovelShapes?: number
  /** Year for timestamps that carry none. */
  defaultYear?: number
}

const defaultMaxNovelShapes = 10_000

export class RawLineScorer {
  readonly #model: Model
  readonly #splitter: LineSplitterLike
  readonly #miner: TemplateMiner
  readonly #maxNovel: number
  /** First id no baseline template can have. */
  readonly #novelBase: number
  #novel = new Map<string, number>()
  #lines: LineModel

  constructor(model: Model, format: FormatSpec, options: RawLineScorerOptions = {}) {
    this.#model = model
    this.#splitter = createLineSplitter(format, options.defaultYear)
    this.#miner = model.miner()
    this.#maxNovel = options.maxNovelShapes ?? defaultMaxNovelShapes
    this.#novelBase = model.minerSnapshot.clusters.length
    this.#lines = model.lineModel()
  }

  get format(): string {
    return this.#splitter.description
  }

  /** Novel shapes currently remembered (for tests and the model endpoint). */
  get novelShapes(): number {
    return this.#novel.size
  }

  /** Scores one log line; a multi-line message (a stack trace) is judged by its first line. */
  score(text: string): RawLineScore {
    const newline = text.indexOf('\n')
    const head = (newline === -1 ? text : text.slice(0, newline)).replace(/\r$/, '')
    const split = this.#splitter.split(head)
    const content = split.content
    const level = normalizeLevel(split.fields.level)
    const matched = this.#miner.match(content)
    let templateId: number
    let template: string
    let params: readonly string[]
    if (matched !== null) {
      templateId = matched
      template = this.#miner.template(matched).text
      params = this.#miner.params(matched, content)
    } else {
      template = maskContent(content)
      templateId = this.#novelId(template)
      params = []
    }
    const scored = this.#lines.scoreLine({ templateId, template, params, level, ts: split.fields.ts, content })
    return {
      score: scored.score,
      anomaly: scored.anomaly,
      threshold: this.#lines.threshold,
      template,
      known: this.#model.templates.has(templateId),
      reasons: scored.reasons
    }
  }

  #novelId(shape: string): number {
    let id = this.#novel.get(shape)
    if (id !== undefined) return id
    if (this.#novel.size >= this.#maxNovel) {
      // Ids are about to be reused: caches keyed on them must go too.
      this.#novel = new Map()
      this.#lines = this.#model.lineModel()
    }
    id = this.#novelBase + this.#novel.size
    this.#novel.set(shape, id)
    return id
  }
}
