/**
 * Flagged lines as columns, their reasons as JSON texts given once each: what an ingest hands to
 * the thread that stores them. As an object per line (with its array of reasons) they cost the
 * pipeline thread ~1.3 s at 10M lines to post (720,000 of them, structured-cloned one by one) and
 * the commit thread ~2.5 s to clone back and turn each line's reasons into JSON, while most
 * lines share a few reasons ("template never seen in baseline … at ERROR").
 */
import { grownTo } from '../../shared/typed-array.ts'

export interface AnomalyColumns {
  readonly count: number
  readonly lines: Int32Array
  readonly scores: Float64Array
  readonly templates: Int32Array
  /** Per flagged line, its reasons: an index into `reasons`. */
  readonly reasonIds: Int32Array
  /** Distinct reasons, each list as the JSON array text it is stored as. */
  readonly reasons: string[]
}

/**
 * A list's key, cheaper than its JSON: its one reason, or its reasons joined by NUL (with their
 * number first, so no list of one is taken for a longer one); the JSON itself when a reason holds
 * a NUL.
 */
function reasonsKey(reasons: readonly string[]): string {
  if (reasons.length === 1) {
    const only = reasons[0] as string
    return only.includes('\u0000') ? JSON.stringify(reasons) : only
  }
  const joined = reasons.join('\u0000')
  return reasons.some((r) => r.includes('\u0000')) ? JSON.stringify(reasons) : `${reasons.length}\u0000${joined}`
}

/** JSON texts kept across batches at most: a scorer that words each line apart (values) needs none. */
const keptTexts = 4096

export class AnomalyColumnsBuilder {
  #count = 0
  #lines: Int32Array = new Int32Array(1024)
  #scores: Float64Array = new Float64Array(1024)
  #templates: Int32Array = new Int32Array(1024)
  #reasonIds: Int32Array = new Int32Array(1024)
  /** This batch's distinct reasons, and each one's index by its key. */
  #reasons: string[] = []
  #ids = new Map<string, number>()
  /** Reasons (by key) → JSON text, across batches. */
  readonly #texts = new Map<string, string>()

  get count(): number {
    return this.#count
  }

  add(lineNo: number, score: number, template: number, reasons: readonly string[]): void {
    const i = this.#count++
    if (i === this.#lines.length) {
      const size = i * 2
      this.#lines = grownTo(this.#lines, size)
      this.#scores = grownTo(this.#scores, size)
      this.#templates = grownTo(this.#templates, size)
      this.#reasonIds = grownTo(this.#reasonIds, size)
    }
    this.#lines[i] = lineNo
    this.#scores[i] = score
    this.#templates[i] = template
    const key = reasonsKey(reasons)
    let id = this.#ids.get(key)
    if (id === undefined) {
      let text = this.#texts.get(key)
      if (text === undefined) {
        text = JSON.stringify(reasons)
        if (this.#texts.size >= keptTexts) this.#texts.clear()
        this.#texts.set(key, text)
      }
      id = this.#reasons.length
      this.#reasons.push(text)
      this.#ids.set(key, id)
    }
    this.#reasonIds[i] = id
  }

  /** The lines added since the last call, in arrays of their own (transferable). */
  take(): AnomalyColumns {
    const count = this.#count
    const out: AnomalyColumns = {
      count,
      lines: this.#lines.slice(0, count),
      scores: this.#scores.slice(0, count),
      templates: this.#templates.slice(0, count),
      reasonIds: this.#reasonIds.slice(0, count),
      reasons: this.#reasons
    }
    this.#count = 0
    this.#reasons = []
    this.#ids = new Map()
    return out
  }
}
