/**
 * What a line shape (line-shape.ts) tells of a search: its lines all match (no line need be
 * read), none can, or maybe (read the lines and see).
 *
 * "All" when the text lies in a constant stretch every line has; for a regex, when it matches a
 * constant stretch (and reads nothing around it), or when it lines up over the shape with each
 * repeated class over constant characters it takes and over variable tokens all of whose
 * characters it takes (`order \d+ failed` over order numbers that are all digits).
 *
 * "None" when the text (or something a regex needs, regex-literals.ts) fits nowhere: it is run
 * through the shape as through an automaton that may start and stop anywhere, constant
 * characters matching, a variable token's middle taking any characters its bitmaps allow, a
 * varying separator any spaces.
 *
 * Both answers only follow from what holds for every line of the shape, so a search answered from
 * shapes finds exactly the lines a scan finds.
 */
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { regexNeeds } from '../regex-literals.ts'
import type { RegexStep } from '../regex-literals.ts'
import type { LineShape, ShapeSlot } from './line-shape.ts'
import { asciiLower, fold, hasMiddleChar, hasPair, hasTriple } from './value-grams.ts'

export const verdict = { never: 0, always: 1, maybe: 2 } as const
export type Verdict = (typeof verdict)[keyof typeof verdict]

/**
 * How runs meet a shape's characters. `folded`: a case-insensitive plain search, both sides
 * folded. `exact`: a case-sensitive one, raw characters. `loose`: a regex's runs, raw, ASCII
 * letters compared without case and a non-ASCII character matching anything (the regex's case
 * folding maps a few letters onto others; a case-sensitive regex is judged as loosely).
 */
type Comparison = 'folded' | 'exact' | 'loose'

/** A search, prepared once for all shapes. */
export interface Needle {
  /**
   * What every matching line holds, as code units: each clause by one of its texts at least.
   * Plain text: one clause of one text.
   */
  clauses: readonly (readonly number[][])[]
  compare: Comparison
  /** Plain text: a line holding it matches (compared as `caseSensitive` says). */
  literal: string | null
  /** A regex needing no context (regex-literals.ts): a line holding a text it matches matches. */
  regex: RegExp | null
  /** The regex's clauses lower-cased, when all ASCII: a stretch lacking one cannot hold a match. */
  asciiClauses: readonly (readonly string[])[] | null
  /** A regex's alternatives as plain steps, when it is that simple (see `ShapeMatcher`). */
  sequences: readonly Sequence[] | null
  caseSensitive: boolean
}

/** A plain alternative of a regex, prepared: its steps, anchored at the line's start or end or not. */
interface Sequence {
  steps: readonly Step[]
  start: boolean
  end: boolean
  /** Its runs of characters lower-cased, when ASCII: each must lie in a constant stretch. */
  runs: readonly string[] | null
}

/** A step of a plain regex: a character (`test` null), or `min`…`max` characters passing `test`. */
interface Step {
  code: number
  test: ((code: number) => boolean) | null
  min: number
  max: number
}

/**
 * What is kept per search (the shapes' verdicts, the text index's verdicts on blocks) until what
 * it was worked out from changes: a viewer asks the same search again as other criteria change.
 * The last 16 searches; two filters are the same search when their text, regex and case agree.
 */
export class PerSearch<T> {
  readonly #kept = new Map<string, T>()

  get(filter: LineFilter, make: () => T): T {
    const key = `${filter.regex ? 'regex' : 'text'} ${filter.caseSensitive ? 'case' : 'any case'} ${filter.text ?? ''}`
    let value = this.#kept.get(key)
    if (value === undefined) {
      if (this.#kept.size >= 16) this.#kept.delete(this.#kept.keys().next().value as string)
      this.#kept.set(key, (value = make()))
    }
    return value
  }

  clear(): void {
    this.#kept.clear()
  }
}

/** A search's needle; null when shapes cannot tell anything (a regex needing no text, or none at all). */
export function needleOf(filter: LineFilter): Needle | null {
  const text = filter.text ?? ''
  if (text.length === 0) return null
  const caseSensitive = filter.caseSensitive ?? false
  if (!filter.regex) {
    const clauses = [[codes(caseSensitive ? text : fold(text))]]
    return { clauses, compare: caseSensitive ? 'exact' : 'folded', literal: text, regex: null, asciiClauses: null, sequences: null, caseSensitive }
  }
  const needs = regexNeeds(text)
  let regex: RegExp | null = null
  if (needs.contextFree) {
    try {
      regex = new RegExp(text, caseSensitive ? 'u' : 'iu')
    } catch {
      return null
    }
  }
  if (needs.clauses.length === 0 && !regex && !needs.sequences) return null
  const flags = caseSensitive ? 'u' : 'iu'
  const sequences = needs.sequences?.map((sequence) => ({ ...sequence, steps: sequence.steps.map((step) => prepareStep(step, flags)), runs: charRuns(sequence.steps) })) ?? null
  const asciiClauses = needs.clauses.every((clause) => clause.every(isPrintableAscii)) ? needs.clauses.map((clause) => clause.map((text) => text.toLowerCase())) : null
  return { clauses: needs.clauses.map((clause) => clause.map(codes)), compare: 'loose', literal: null, regex, asciiClauses, sequences, caseSensitive }
}

/** A sequence's runs of plain characters, lower-cased; null when one is not printable ASCII. */
function charRuns(steps: readonly RegexStep[]): string[] | null {
  const runs: string[] = []
  let run = ''
  for (const step of [...steps, null]) {
    if (step?.kind === 'char') {
      if (step.code < 0x20 || step.code > 0x7e) return null
      run += String.fromCharCode(step.code).toLowerCase()
    } else if (run.length > 0) {
      runs.push(run)
      run = ''
    }
  }
  return runs
}

function prepareStep(step: RegexStep, flags: string): Step {
  if (step.kind === 'char') return { code: step.code, test: null, min: 1, max: 1 }
  const single = new RegExp(`^(?:${step.raw})$`, flags)
  const known = new Map<number, boolean>()
  const test = (code: number): boolean => {
    let passes = known.get(code)
    if (passes === undefined) known.set(code, (passes = single.test(String.fromCharCode(code))))
    return passes
  }
  return { code: -1, test, min: step.min, max: step.max }
}

function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text)
}

function codes(text: string): number[] {
  return Array.from({ length: text.length }, (_, i) => text.charCodeAt(i))
}

const lit = 0
const core = 1
const space = 2

/** The states already reached for the current character (a stamp per state), shared by all matchers. */
let seen = new Int32Array(1024)
let stamp = 0

/**
 * A shape (or one variant of it: `fixed` values for some slots) compiled for matching; build once
 * per shape version, ask many needles.
 */
export class ShapeMatcher {
  /** Constant stretches every line has (raw and lower-cased; lower-casing Σ depends on context). */
  readonly #stretches: string[] = []
  readonly #lowerStretches: (string | null)[] = []
  readonly #asciiStretches: boolean[] = []
  readonly #pieces: Piece[]
  // Case-insensitive text runs through the folded shape; the rest through the raw one (folding
  // may lengthen a character, İ, that a regex matches as one).
  #folded: Automaton | undefined
  #raw: Automaton | undefined
  #units: Unit[] | undefined

  constructor(shape: LineShape, fixed: readonly (string | null)[] | null = null) {
    this.#pieces = piecesOf(shape, fixed)
    let stretch = ''
    const endStretch = (): void => {
      if (stretch.length > 0) {
        this.#stretches.push(stretch)
        this.#lowerStretches.push(stretch.includes('Σ') ? null : stretch.toLowerCase())
        this.#asciiStretches.push(isPrintableAscii(stretch))
      }
      stretch = ''
    }
    for (const piece of this.#pieces) {
      if (piece.kind === 'text') stretch += piece.text
      else endStretch()
    }
    endStretch()
  }

  verdict(needle: Needle): Verdict {
    if (this.#holdsEverywhere(needle)) return verdict.always
    if (needle.sequences?.some((sequence) => this.#linesUp(sequence, needle.caseSensitive))) return verdict.always
    const automaton = needle.compare === 'folded' ? (this.#folded ??= new Automaton(this.#pieces, fold)) : (this.#raw ??= new Automaton(this.#pieces, (text) => text))
    for (const clause of needle.clauses) if (!clause.some((run) => automaton.fits(run, needle.compare))) return verdict.never
    return verdict.maybe
  }

  /** A constant stretch holds the text, or a match of the regex (compared as the scan compares). */
  #holdsEverywhere(needle: Needle): boolean {
    if (needle.regex) {
      const regex = needle.regex
      const clauses = needle.asciiClauses
      return this.#stretches.some((stretch, i) => {
        // An ASCII stretch without one of the texts the regex needs cannot hold a match: skip the regex.
        const lower = this.#asciiStretches[i] === true ? this.#lowerStretches[i] : null
        if (clauses && lower && !clauses.every((clause) => clause.some((text) => lower.includes(text)))) return false
        return regex.test(wholeCodePoints(stretch))
      })
    }
    const text = needle.literal
    if (text === null) return false
    if (needle.caseSensitive) return this.#stretches.some((stretch) => stretch.includes(text))
    const lower = text.toLowerCase()
    return this.#lowerStretches.some((stretch) => stretch !== null && stretch.includes(lower))
  }

  /**
   * Whether a plain regex lines up against the shape so that it matches in every line: its
   * characters on constant ones, each repeated class over constant characters it takes and
   * variable middles or choices all of whose characters it takes, as long as each needs to be.
   */
  #linesUp({ steps, start, end, runs }: Sequence, caseSensitive: boolean): boolean {
    // Its characters stand on constant ones, so each run of them lies within a stretch.
    if (runs && !runs.every((run) => this.#lowerStretches.some((stretch, i) => stretch !== null && this.#asciiStretches[i] === true && stretch.includes(run)))) {
      return false
    }
    const units = (this.#units ??= unitsOf(this.#pieces))
    // Where the first step may begin: anchored, only at the line's start; a character, only
    // where it stands (most shapes have no such place, and are done with here).
    const first = steps[0]
    const starts: number[] = []
    for (let u = 0; u <= (start ? 0 : units.length); u++) {
      if (first && first.test === null) {
        const unit = units[u]
        if (unit?.kind !== 'char' || !sameLetter(unit.code, first.code, caseSensitive)) continue
      }
      starts.push(u)
    }
    if (starts.length === 0) return false
    const width = units.length + 1
    const failed = new Uint8Array((steps.length + 1) * width)
    const from = (r: number, u: number): boolean => {
      if (r === steps.length) return !end || u === units.length
      if (failed[r * width + u] === 1) return false
      const step = steps[r] as Step
      const unit = units[u]
      let found = false
      if (step.test === null) found = unit?.kind === 'char' && sameLetter(unit.code, step.code, caseSensitive) && from(r + 1, u + 1)
      else if (step.min === 1 && step.max === 1) found = unit?.kind === 'char' && step.test(unit.code) && from(r + 1, u + 1)
      else {
        let length = 0
        let open = false
        found = step.min === 0 && from(r + 1, u)
        for (let v = u; v < units.length && !found; v++) {
          const next = units[v] as Unit
          if (next.kind === 'char' && step.test(next.code)) length++
          else if (next.kind === 'var' && next.takes(step.test)) {
            length += next.minLength
            open = true
          } else break
          if (open ? step.max !== Number.POSITIVE_INFINITY : length > step.max) break
          // A stretch over a variable part has no upper bound on its length.
          if (length >= step.min && (!open || step.max === Number.POSITIVE_INFINITY)) found = from(r + 1, v + 1)
        }
      }
      if (!found) failed[r * width + u] = 1
      return found
    }
    return starts.some((u) => from(0, u))
  }
}

type Unit = { kind: 'char'; code: number } | { kind: 'var'; minLength: number; takes: (test: (code: number) => boolean) => boolean } | { kind: 'bar' }

/**
 * The shape as units for lining a regex up: constant characters, variable parts (a middle or a
 * choice: their shortest length, and whether a class takes all of their characters), and bars
 * (a varying separator, half of a surrogate pair) that nothing is lined up over.
 */
function unitsOf(pieces: readonly Piece[]): Unit[] {
  const units: Unit[] = []
  for (const piece of pieces) {
    if (piece.kind === 'text') {
      for (let i = 0; i < piece.text.length; i++) {
        const code = piece.text.charCodeAt(i)
        units.push(isHighSurrogate(code) || isLowSurrogate(code) ? { kind: 'bar' } : { kind: 'char', code })
      }
    } else if (piece.kind === 'core') {
      const slot = piece.slot
      units.push({ kind: 'var', minLength: Math.max(0, slot.minLength - slot.prefix.length - slot.suffix.length), takes: (test) => coreTakesAll(slot, test) })
    } else if (piece.kind === 'choice') {
      const minLength = Math.min(...piece.choices.map((choice) => choice.length))
      units.push({ kind: 'var', minLength, takes: (test) => piece.choices.every((choice) => codes(choice).every(test)) })
    } else units.push({ kind: 'bar' })
  }
  return units
}

/**
 * Whether a class takes every character a variable middle's values may hold: known only for
 * ASCII values, whose characters are in its bitmap (folded: a letter stands for both cases).
 */
function coreTakesAll(slot: ShapeSlot, test: (code: number) => boolean): boolean {
  if (!slot.ascii) return false
  const grams = slot.grams as Uint32Array
  for (let code = 0; code < 256; code++) {
    if (!hasMiddleChar(grams, code)) continue
    if (code > 0x7f) return false
    if (!test(code)) return false
    if (code >= 0x61 && code <= 0x7a && !test(code - 32)) return false
  }
  return true
}

/** A regex's character against a constant one, sure to match (ASCII letters without case unless case-sensitive). */
function sameLetter(constant: number, code: number, caseSensitive: boolean): boolean {
  if (constant === code) return true
  return !caseSensitive && isAsciiLetter(constant) && isAsciiLetter(code) && (constant | 32) === (code | 32)
}

function isAsciiLetter(code: number): boolean {
  const lower = code | 32
  return lower >= 0x61 && lower <= 0x7a
}

/**
 * A stretch without a surrogate cut from its pair at either end (a common prefix may end inside
 * a character): a `u` regex reads the line's whole characters, so it must not see half of one.
 */
function wholeCodePoints(stretch: string): string {
  let from = 0
  let to = stretch.length
  if (to > 0 && isLowSurrogate(stretch.charCodeAt(0))) from = 1
  if (to > from && isHighSurrogate(stretch.charCodeAt(to - 1))) to--
  return from === 0 && to === stretch.length ? stretch : stretch.slice(from, to)
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff

/**
 * The shape as an automaton over code units: one node per constant code unit (of the shape's
 * text in `form`), variable token middle or varying separator; `next` lists, per node, the nodes
 * that may take the character after its own.
 */
class Automaton {
  readonly #kind: Uint8Array
  readonly #code: Int32Array
  readonly #slot: (ShapeSlot | null)[]
  readonly #nextStart: Int32Array
  readonly #next: Int32Array
  /** Constant nodes by (ASCII lower-cased) code, and the nodes that may take other characters. */
  #byCode: Map<number, number[]> | undefined
  #anyChar: number[] | undefined

  constructor(pieces: readonly Piece[], form: (text: string) => string) {
    // Nodes, and for each piece the nodes that may take its first character ("entry").
    const kinds: number[] = []
    const nodeCodes: number[] = []
    const slots: (ShapeSlot | null)[] = []
    /** Per node, the piece after it (-1 inside a text: the next node of its text). */
    const after: number[] = []
    const innerNext: number[] = []
    const entries: number[][] = []
    const skippable: boolean[] = []
    const add = (kind: number, code: number, slot: ShapeSlot | null, afterPiece: number, inner: number): number => {
      kinds.push(kind)
      nodeCodes.push(code)
      slots.push(slot)
      after.push(afterPiece)
      innerNext.push(inner)
      return kinds.length - 1
    }
    /** Nodes for one text; its first node, or -1 when it is empty. */
    const addText = (text: string, p: number): number => {
      const formed = form(text)
      const first = kinds.length
      for (let i = 0; i < formed.length; i++) {
        const last = i === formed.length - 1
        add(lit, formed.charCodeAt(i), null, last ? p + 1 : -1, last ? -1 : first + i + 1)
      }
      return formed.length > 0 ? first : -1
    }
    pieces.forEach((piece, p) => {
      if (piece.kind === 'text') {
        const first = addText(piece.text, p)
        entries.push(first >= 0 ? [first] : [])
        skippable.push(first < 0)
      } else if (piece.kind === 'core') {
        entries.push([add(core, 0, piece.slot, p + 1, -1)])
        skippable.push(true)
      } else if (piece.kind === 'space') {
        entries.push([add(space, 0, null, p + 1, -1)])
        skippable.push(true)
      } else {
        const starts = piece.choices.map((alternative) => addText(alternative, p))
        entries.push(starts.filter((first) => first >= 0))
        skippable.push(starts.includes(-1))
      }
    })
    // What may take the next character from the start of piece p: its entry, and past it when
    // it may be empty.
    const from: number[][] = Array.from({ length: pieces.length + 1 }, () => [])
    for (let p = pieces.length - 1; p >= 0; p--) from[p] = skippable[p] ? [...(entries[p] as number[]), ...(from[p + 1] as number[])] : (entries[p] as number[])
    const nodes = kinds.length
    this.#kind = Uint8Array.from(kinds)
    this.#code = Int32Array.from(nodeCodes)
    this.#slot = slots
    this.#nextStart = new Int32Array(nodes + 1)
    const next: number[] = []
    for (let n = 0; n < nodes; n++) {
      this.#nextStart[n] = next.length
      const inner = innerNext[n] as number
      if (inner >= 0) next.push(inner)
      else next.push(...(from[after[n] as number] as number[]))
    }
    this.#nextStart[nodes] = next.length
    this.#next = Int32Array.from(next)
  }

  /** States (node * 3) that may take `c` first: constants that may be it, and every variable node. */
  #starts(c: number, loose: boolean): number[] {
    if (!this.#byCode) {
      this.#byCode = new Map()
      this.#anyChar = []
      this.#kind.forEach((kind, n) => {
        const code = this.#code[n] as number
        // Keyed by ASCII lower case: a loose run's letters then find both cases; an exact one checks.
        if (kind === lit && code <= 0x7f) {
          const key = asciiLower(code)
          const list = this.#byCode?.get(key)
          if (list) list.push(n * 3)
          else this.#byCode?.set(key, [n * 3])
        } else (this.#anyChar as number[]).push(n * 3)
      })
    }
    if (c > 0x7f && loose) return Array.from({ length: this.#kind.length }, (_, n) => n * 3)
    return [...(this.#byCode.get(asciiLower(c)) ?? []), ...(this.#anyChar as number[])]
  }

  /** Whether some line of the shape could hold `run` (false only when none can). */
  fits(run: readonly number[], compare: Comparison): boolean {
    const loose = compare === 'loose'
    const foldedCores = compare === 'folded'
    const kind = this.#kind
    const nodes = kind.length
    if (nodes === 0) return false
    // States: node * 3 + how many characters a variable middle has taken (0, 1, 2 or more), so
    // its pairs and triples can be checked. Start anywhere.
    // Only nodes that may take the first character (a superset: each is still asked).
    let states = this.#starts(run[0] as number, loose)
    if (seen.length < nodes * 3) seen = new Int32Array(nodes * 3)
    for (let i = 0; i < run.length; i++) {
      const c = run[i] as number
      const nextStates: number[] = []
      if (++stamp === 0x7fffffff) {
        seen.fill(0)
        stamp = 1
      }
      const push = (state: number): void => {
        if (seen[state] !== stamp) {
          seen[state] = stamp
          nextStates.push(state)
        }
      }
      let taken = false
      for (const state of states) {
        const n = (state / 3) | 0
        const inCore = state - n * 3
        const k = kind[n] as number
        if (k === lit) {
          if (!sameChar(this.#code[n] as number, c, loose)) continue
        } else if (k === space) {
          if (c > 0x20) continue
          push(state)
        } else {
          if (c <= 0x20 || !coreTakes(this.#slot[n] as ShapeSlot, run, i, inCore, foldedCores)) continue
          push(n * 3 + Math.min(inCore + 1, 2))
        }
        taken = true
        for (let e = this.#nextStart[n] as number; e < (this.#nextStart[n + 1] as number); e++) push((this.#next[e] as number) * 3)
      }
      // The last character taken (even by the line's last node): the run fits.
      if (!taken) return false
      if (i === run.length - 1) return true
      states = nextStates
    }
    return true
  }
}

/** A constant character (folded for plain text, raw for a regex) against a search character. */
function sameChar(constant: number, c: number, loose: boolean): boolean {
  if (!loose) return constant === c
  // Regex: ASCII letters compared without case; a non-ASCII one may fold onto anything.
  return constant > 0x7f || c > 0x7f || asciiLower(constant) === asciiLower(c)
}

/**
 * Whether a variable middle's values allow `run[i]` after `taken` characters of the run. Its
 * bitmaps hold folded values: a folded run is looked up as it is, a raw one by its ASCII letters.
 */
function coreTakes(slot: ShapeSlot, run: readonly number[], i: number, taken: number, foldedRun: boolean): boolean {
  const grams = slot.grams as Uint32Array
  if (!foldedRun) {
    // Only ASCII values and characters are judged; anything else may fold onto them.
    if (!slot.ascii) return true
    const c = run[i] as number
    if (c > 0x7f) return true
    const lc = asciiLower(c)
    if (!hasMiddleChar(grams, lc)) return false
    const b = taken >= 1 ? (run[i - 1] as number) : -1
    if (b < 0 || b > 0x7f) return true
    if (!hasPair(grams, asciiLower(b), lc)) return false
    const a = taken >= 2 ? (run[i - 2] as number) : -1
    return a < 0 || a > 0x7f || hasTriple(grams, asciiLower(a), asciiLower(b), lc)
  }
  const c = run[i] as number
  if (!hasMiddleChar(grams, c)) return false
  if (taken >= 1 && !hasPair(grams, run[i - 1] as number, c)) return false
  return taken < 2 || hasTriple(grams, run[i - 2] as number, run[i - 1] as number, c)
}

type Piece = { kind: 'text'; text: string } | { kind: 'core'; slot: ShapeSlot } | { kind: 'space' } | { kind: 'choice'; choices: string[] }

/** The shape as a sequence: constant text, variable middles, alternatives, varying separators. */
function piecesOf(shape: LineShape, fixed: readonly (string | null)[] | null): Piece[] {
  const pieces: Piece[] = []
  const text = (value: string): void => {
    if (value.length > 0) pieces.push({ kind: 'text', text: value })
  }
  shape.seps.forEach((sep, j) => {
    if (sep === null) pieces.push({ kind: 'space' })
    else text(sep)
    const slot = shape.slots[j]
    if (!slot) return
    const value = fixed?.[j]
    if (typeof value === 'string') return text(value)
    text(slot.prefix)
    if (slot.exact) return
    if (slot.choices !== null) {
      const { prefix, suffix } = slot
      pieces.push({ kind: 'choice', choices: slot.choices.map((choice) => choice.slice(prefix.length, choice.length - suffix.length)) })
    } else pieces.push({ kind: 'core', slot })
    text(slot.suffix)
  })
  return pieces
}
