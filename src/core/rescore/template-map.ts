/**
 * Case template → model template. A model judges lines by its own template ids. When its miner
 * grew from the case's (trained from the case, or from baseline files with the case's miner as
 * seed, or the case was ingested with it), every case id is a model id and the map is `resolve`.
 * Otherwise each line's content is matched with the model's miner: once per case template that
 * has no parameters (its lines all read the same), else line by line (a cache by content was
 * measured slower than matching: hashing the content costs about what masking it does).
 * Lines the model has no template for get a negative id, −1 − their case template, which no
 * model knows: they score as never seen.
 */
import { TemplateMiner, WILDCARD } from '../mine/index.ts'
import type { MinerSnapshot } from '../mine/index.ts'
import type { Model } from '../model/model.ts'

/** Not looked up yet. */
const unmapped = -0x80000000
/** Per line: the case template has parameters. */
const perLine = 0x7fffffff

export class TemplateMap {
  /** Whether case ids are model ids (no matching needed). */
  readonly identity: boolean
  readonly modelMiner: TemplateMiner
  readonly #caseMiner: TemplateMiner
  readonly #fixed: Int32Array

  constructor(caseMiner: MinerSnapshot, model: Model) {
    this.#caseMiner = TemplateMiner.fromSnapshot(caseMiner)
    this.modelMiner = model.miner()
    this.identity = sameStart(model.minerSnapshot, caseMiner)
    const ids = caseMiner.clusters.length
    const known = model.minerSnapshot.clusters.length
    this.#fixed = new Int32Array(ids)
    for (let id = 0; id < ids; id++) {
      if (this.identity) {
        // Templates the case met after the model's are unknown to it, unless the case merged them into one it knows.
        const own = this.#caseMiner.resolve(id)
        this.#fixed[id] = own < known ? this.modelMiner.resolve(own) : -1 - own
      } else this.#fixed[id] = this.#caseMiner.template(id).tokens.some((t) => t.includes(WILDCARD)) ? perLine : unmapped
    }
  }

  /** The case's canonical template for a raw id. */
  caseTemplate(raw: number): number {
    return this.#caseMiner.resolve(raw)
  }

  /** The model's id for a line of case template `raw` (negative: unknown to the model). */
  modelTemplate(raw: number, content: () => string): number {
    const fixed = raw >= 0 && raw < this.#fixed.length ? (this.#fixed[raw] as number) : perLine
    if (fixed !== unmapped && fixed !== perLine) return fixed
    const id = this.#match(raw, content())
    if (fixed === unmapped) this.#fixed[raw] = id
    return id
  }

  /**
   * A model template's text; a negative id's is its case template's. (A source whose ingest
   * was cancelled may hold ids its miner's last saved state never knew.)
   */
  text(modelId: number): string {
    if (modelId >= 0) return this.modelMiner.template(modelId).text
    const own = -1 - modelId
    return own < this.#fixed.length ? this.#caseMiner.template(own).text : `template ${own}`
  }

  #match(raw: number, content: string): number {
    return this.modelMiner.match(content) ?? -1 - this.#caseMiner.resolve(raw)
  }
}

/**
 * Whether one miner grew from the other (a model from the case's, or the case's from a model's):
 * the same templates, created from the same shapes, in the same order, as far as both go.
 */
function sameStart(a: MinerSnapshot, b: MinerSnapshot): boolean {
  const n = Math.min(a.clusters.length, b.clusters.length)
  if (n === 0) return a.clusters.length === b.clusters.length
  for (let i = 0; i < n; i++) if (a.clusters[i]?.shape !== b.clusters[i]?.shape) return false
  return true
}
