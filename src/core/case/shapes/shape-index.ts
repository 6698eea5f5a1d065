/**
 * A source's line shapes in memory: each line's variant (2 bytes a line), and the shapes and
 * variants compiled for matching. For a search it gives a verdict per variant (shape-match.ts)
 * and the lines grouped by variant, so a filter takes the lines of "always" variants without
 * reading them, drops those of "never" ones, and reads only the rest (see filter-lines.ts).
 */
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { grownTo } from '../../../shared/typed-array.ts'
import { buildPostings, stale } from '../line-index.ts'
import type { Postings } from '../line-index.ts'
import type { LineShape, ShapeVariant } from './line-shape.ts'
import { needleOf, PerSearch, ShapeMatcher, verdict } from './shape-match.ts'
import { shapeColumn, shapesSince } from './shape-store.ts'
import type { Db } from '../../store/sqlite.ts'
import type { Needle, Verdict } from './shape-match.ts'

export interface TextVerdicts {
  /** Per line (0-based): its variant id + 1, or 0 when it has none (yet); such lines are "maybe". */
  shapeOf: Uint16Array
  /** Per value of `shapeOf`: never, always, maybe or `unjudged` (see `judge`). */
  verdicts: Uint8Array
  /** The verdict for a value of `shapeOf` (judging it, once, when unjudged). */
  judge(value: number): Verdict
  /** Lines by `shapeOf` value, over the first lines that all have a variant. */
  postings(): Postings
}

/** A variant of a few lines, not judged until one of its lines is about to be read. */
export const unjudged = 3

/** Variants with fewer lines are not judged apart from their shape (see `verdicts`). */
const minVariantLines = 64

interface Compiled<T> {
  spec: T
  matcher?: ShapeMatcher | undefined
}

export class ShapeIndex {
  #shapeOf = new Uint16Array(0)
  /** Lines with a stored variant column (some may still have no variant). */
  #length = 0
  /** Lines 1…#covered all have a variant. */
  #covered = 0
  readonly #shapes: (Compiled<LineShape> | undefined)[] = []
  readonly #variants: (Compiled<ShapeVariant> | undefined)[] = []
  /** Per shape, its variants' ids. */
  readonly #variantsOf: number[][] = []
  /** Lines per value of #shapeOf. */
  #lines = new Int32Array(0)
  #postings: Postings | undefined

  /**
   * Verdicts by search (see `verdicts`), kept until a shape or variant changes: a viewer asks the
   * same search again as other criteria change, and judging every shape cost a few ms and
   * ~0.5 MB of garbage each time at 10M lines.
   */
  readonly #verdictsBySearch = new PerSearch<Uint8Array>()

  /** The newest stamp read of the stored lines, and of the stored shapes and variants (-1: none yet). */
  #linesStamp = -1
  #specsStamp = -1

  get shapes(): number {
    return this.#shapes.length
  }

  get variants(): number {
    return this.#variants.length
  }

  /**
   * Reads what was stored since the last refresh (see shape-store.ts): lines, shapes and variants
   * in one read, so no line is seen filed under a shape narrower than it. At most the stamps that
   * `maxBlocks` blocks of lines complete (a load in steps); true when it read all there was.
   */
  refresh(db: Db, sourceId: number, maxBlocks = Number.POSITIVE_INFINITY): boolean {
    return db.transaction(() => {
      const rows = db
        .prepare(`SELECT first_line, line_count, shapes, stamp FROM text_shape_lines WHERE source_id = ? AND stamp > ? ORDER BY stamp, block_no`)
        .iterate(sourceId, this.#linesStamp) as IterableIterator<{ first_line: number; line_count: number; shapes: Buffer; stamp: number }>
      let read = 0
      let done = true
      let linesStamp = this.#linesStamp
      for (const row of rows) {
        // A stamp is read whole: the next read starts past it.
        if (read++ >= maxBlocks && row.stamp !== linesStamp) {
          done = false
          break
        }
        this.#setLines(row.first_line - 1, shapeColumn(row.shapes))
        linesStamp = row.stamp
      }
      this.#linesStamp = linesStamp
      const stored = shapesSince(db, sourceId, this.#specsStamp)
      for (const { id, shape, stamp } of stored.shapes) {
        this.#setShape(id, shape)
        this.#specsStamp = Math.max(this.#specsStamp, stamp)
      }
      for (const { id, variant, stamp } of stored.variants) {
        this.#setVariant(id, variant)
        this.#specsStamp = Math.max(this.#specsStamp, stamp)
      }
      return done
    })()
  }

  get bytes(): number {
    return this.#shapeOf.byteLength + (this.#postings ? this.#postings.lines.byteLength + this.#postings.starts.byteLength : 0)
  }

  /** Lines `start`… (0-based) get these variant ids + 1 (a block's stored column). */
  #setLines(start: number, ids: Uint16Array): void {
    const end = start + ids.length
    if (end > this.#shapeOf.length) this.#shapeOf = grownTo(this.#shapeOf, Math.max(end, Math.ceil(this.#shapeOf.length * 1.5), 4096))
    const shapeOf = this.#shapeOf
    for (let i = start; i < end; i++) this.#count(shapeOf[i] as number, -1)
    shapeOf.set(ids, start)
    for (let i = start; i < end; i++) this.#count(shapeOf[i] as number, 1)
    this.#length = Math.max(this.#length, end)
    // A line may lose its variant (a tail block stored again, say): coverage starts over there.
    if (start < this.#covered) this.#covered = start
    while (this.#covered < this.#length && this.#shapeOf[this.#covered] !== 0) this.#covered++
    if (start < (this.#postings?.covered ?? 0)) this.#postings = undefined
  }

  /** Shape `id` as now stored (it only ever widens); its variants are compiled again. */
  #setShape(id: number, shape: LineShape): void {
    this.#verdictsBySearch.clear()
    this.#shapes[id] = { spec: shape }
    for (const variant of this.#variantsOf[id] ?? []) (this.#variants[variant] as Compiled<ShapeVariant>).matcher = undefined
  }

  #setVariant(id: number, variant: ShapeVariant): void {
    this.#verdictsBySearch.clear()
    this.#variants[id] = { spec: variant }
    ;(this.#variantsOf[variant.shape] ??= []).push(id)
  }

  /** Verdicts for a filter's text; undefined when shapes cannot help (none yet, or nothing a regex needs). */
  verdicts(filter: LineFilter): TextVerdicts | undefined {
    const needle = needleOf(filter)
    if (!needle || this.#covered === 0) return undefined
    const judged = this.#verdictsBySearch.get(filter, () => this.#judgeShapes(needle))
    return {
      shapeOf: this.#shapeOf,
      verdicts: judged,
      judge: (value) => {
        if (judged[value] === unjudged) judged[value] = this.#judgeVariant(value, needle)
        return judged[value] as Verdict
      },
      postings: () => this.#linesByVariant()
    }
  }

  #judgeVariant(value: number, needle: Needle): Verdict {
    const compiled = this.#variants[value - 1] as Compiled<ShapeVariant>
    const shape = this.#shapes[compiled.spec.shape] as Compiled<LineShape>
    return judge(compiled, needle, (spec) => new ShapeMatcher(shape.spec, spec.fixed))
  }

  /** Per variant, what its shape (or, where that cannot tell and it has lines enough, the variant) says of `needle`. */
  #judgeShapes(needle: Needle): Uint8Array {
    const verdicts = new Uint8Array(this.#variants.length + 1).fill(verdict.maybe)
    // A shape's verdict holds for all its variants (their lines are some of its lines); only
    // where it cannot tell are the variants asked, each knowing more. Those of a few lines (a
    // shape's first lines each make one while its slots still have few values) only when one of
    // their lines would be read: most are not, and there are thousands.
    const worthIt = Math.max(minVariantLines, this.#length >>> 12)
    this.#shapes.forEach((shape, id) => {
      if (!shape) return
      const whole = judge(shape, needle, (spec) => new ShapeMatcher(spec))
      for (const variant of this.#variantsOf[id] ?? []) {
        const value = variant + 1
        const open = (this.#variants[variant] as Compiled<ShapeVariant>).spec.fixed === null
        if (whole !== verdict.maybe || open) verdicts[value] = whole
        else verdicts[value] = (this.#lines[value] ?? 0) >= worthIt ? this.#judgeVariant(value, needle) : unjudged
      }
    })
    return verdicts
  }

  /**
   * Builds now what the first search would: the lines by variant, and each shape's matcher
   * (variants' matchers stay lazy: thousands, most never asked).
   */
  warm(): void {
    this.#linesByVariant()
    for (const shape of this.#shapes) if (shape) shape.matcher ??= new ShapeMatcher(shape.spec)
  }

  #count(value: number, by: number): void {
    if (value >= this.#lines.length) this.#lines = grownTo(this.#lines, Math.max(value + 1, this.#lines.length * 2, 1024))
    this.#lines[value] = (this.#lines[value] as number) + by
  }

  #linesByVariant(): Postings {
    if (stale(this.#postings, this.#covered)) this.#postings = buildPostings(this.#shapeOf, this.#covered, this.#variants.length + 1)
    return this.#postings as Postings
  }
}

function judge<T>(compiled: Compiled<T>, needle: Needle, compile: (spec: T) => ShapeMatcher): Verdict {
  compiled.matcher ??= compile(compiled.spec)
  return compiled.matcher.verdict(needle)
}
