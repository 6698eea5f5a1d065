/**
 * The compute half of a re-score: every stored record of a range of blocks judged again by a
 * model, with nothing written. Plain data out, so a range can be scored on another thread and
 * the parts merged. Most lines are judged on template and level alone (the line model's cache):
 * a block's text is decoded, and a line's content cut from its header, only when the model reads
 * parameters or must match the content to its own template.
 */
import type { AnomalyRow } from '../case/case-store.ts'
import { lineFlag } from '../case/block-codec.ts'
import { storedBlocks, storedContent } from '../case/case-records.ts'
import type { StoredBlock } from '../case/case-records.ts'
import type { LineSplitterLike } from '../format/index.ts'
import type { LevelCode } from '../../shared/levels.ts'
import type { LineScorer, ScoreInput } from '../model/line-scorer.ts'
import type { Db } from '../store/sqlite.ts'
import { stopIfAsked } from '../platform/worker-stop.ts'
import type { StopCheck } from '../platform/worker-stop.ts'
import type { TemplateMap } from './template-map.ts'

export interface ScoredBlock {
  readonly blockNo: number
  readonly firstLine: number
  readonly scores: Float32Array
}

/** Per case template (canonical): its highest line score, and its lines per model template. */
export interface TemplateVerdict {
  score: number
  models: Map<number, number>
}

export interface ScoredPart {
  readonly blocks: ScoredBlock[]
  /** Flagged records (head lines), in line order; `template` is the case's raw id. */
  readonly anomalies: AnomalyRow[]
  readonly templates: Map<number, TemplateVerdict>
  readonly lines: number
}

/** A line as the scorer sees it; template text, content and params computed only when read. */
class StoredInput implements ScoreInput {
  templateId = 0
  level: LevelCode = 0
  ts: number | null = null
  #block: StoredBlock | undefined
  #line = 0
  #content: string | undefined
  readonly #map: TemplateMap
  readonly #splitter: LineSplitterLike
  /** For `TemplateMap.modelTemplate`, which reads the content only when it must. */
  readonly contentOf = (): string => this.content

  constructor(map: TemplateMap, splitter: LineSplitterLike) {
    this.#map = map
    this.#splitter = splitter
  }

  /** Now the line `line` of `block`. */
  at(block: StoredBlock, line: number): void {
    this.#block = block
    this.#line = line
    this.#content = undefined
  }

  get content(): string {
    const block = this.#block
    return (this.#content ??= block ? storedContent(this.#splitter, block.texts()[this.#line] ?? '', block.columns.flags[this.#line] as number) : '')
  }

  get template(): string {
    return this.#map.text(this.templateId)
  }

  get params(): readonly string[] {
    return this.templateId >= 0 ? this.#map.modelMiner.params(this.templateId, this.content) : []
  }
}

export interface ScoreBlocksOptions {
  /** Lines `from`…`to` (whole blocks overlapping them); default: the whole source. */
  readonly from?: number | undefined
  readonly to?: number | undefined
  readonly signal?: StopCheck | undefined
  readonly onBlock?: ((lines: number) => void) | undefined
}

export function scoreBlocks(db: Db, sourceId: number, scorer: LineScorer, map: TemplateMap, splitter: LineSplitterLike, options: ScoreBlocksOptions = {}): ScoredPart {
  const blocks: ScoredBlock[] = []
  const anomalies: AnomalyRow[] = []
  const templates = new Map<number, TemplateVerdict>()
  const input = new StoredInput(map, splitter)
  let lines = 0
  let lastBlock: ScoredBlock | undefined
  for (const block of storedBlocks(db, sourceId, options.from, options.to)) {
    stopIfAsked(options.signal, 're-score')
    const c = block.columns
    const scores = new Float32Array(block.count)
    // A record's continuation lines share its score, even across a block boundary.
    let score = lastBlock ? (lastBlock.scores[lastBlock.scores.length - 1] as number) : 0
    for (let i = 0; i < block.count; i++) {
      if (((c.flags[i] as number) & lineFlag.continuation) === 0) {
        const raw = c.templates[i] as number
        input.at(block, i)
        const modelId = map.modelTemplate(raw, input.contentOf)
        input.templateId = modelId
        input.level = c.levels[i] as number
        const t = c.ts[i] as number
        input.ts = t === t ? t : null
        const result = scorer.scoreLine(input)
        score = result.score
        const lineNo = block.firstLine + i
        if (result.anomaly) anomalies.push({ lineNo, score, template: raw, reasons: [...result.reasons] })
        const own = map.caseTemplate(raw)
        let verdict = templates.get(own)
        if (!verdict) templates.set(own, (verdict = { score: 0, models: new Map() }))
        if (score > verdict.score) verdict.score = score
        verdict.models.set(modelId, (verdict.models.get(modelId) ?? 0) + 1)
      }
      scores[i] = score
    }
    lines += block.count
    lastBlock = { blockNo: block.blockNo, firstLine: block.firstLine, scores }
    blocks.push(lastBlock)
    options.onBlock?.(lines)
  }
  return { blocks, anomalies, templates, lines }
}
