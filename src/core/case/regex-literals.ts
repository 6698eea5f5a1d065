/**
 * What a regex needs in a line before any line is read: texts every match holds (an AND of
 * clauses, each satisfied by any one of its texts), found on the pattern's syntax tree
 * (regexpp, ESLint's parser), so `(WARN|ERROR) \[` needs "WARN [" or "ERROR [". The text index
 * (text-index.ts) and the line shapes (shapes/shape-match.ts) rule lines out with it. It errs
 * only towards needing less: a part it cannot read (a class, a repeat that may be absent, a
 * backreference) needs nothing.
 */
import { RegExpParser } from '@eslint-community/regexpp'
import type { AST } from '@eslint-community/regexpp'

export interface RegexNeeds {
  /** Every clause must hold, a clause by any one of its texts (none empty). */
  clauses: string[][]
  /**
   * No assertion anywhere (^, $, \b, lookaround): whether a text matches then does not depend on
   * what is around it, so a line holding a text that matches matches too.
   */
  contextFree: boolean
  /**
   * The pattern as plain alternatives (characters and repeated classes, anchored or not:
   * `^\\S+ (WARN|ERROR)` is two), when it is that simple, else null: what a shape can be lined
   * up against.
   */
  sequences: RegexSequence[] | null
}

/** A step of a plain regex: one character, or `min`…`max` characters of a class (`raw`, as written). */
export type RegexStep = { kind: 'char'; code: number } | { kind: 'class'; raw: string; min: number; max: number }

/** One plain alternative: its steps, and whether it must start at the line's start (^) or end at its end ($). */
export interface RegexSequence {
  steps: RegexStep[]
  start: boolean
  end: boolean
}

/** Plain alternatives a pattern is expanded into at most. */
const maxSequences = 16

/** Alternatives kept as exact texts at most (a concatenation multiplies them). */
const maxExact = 16
const maxExactLength = 256

interface Info {
  /** Every text the node can match, when they are few; null otherwise. */
  exact: string[] | null
  /** What every match of the node holds. */
  needs: string[][]
}

const nothing: Info = { exact: null, needs: [] }

/** What `pattern` (a `u`-flag regex) needs; nothing for a pattern that does not parse (the search reports it). */
export function regexNeeds(pattern: string): RegexNeeds {
  let tree: AST.Pattern
  try {
    tree = new RegExpParser({ ecmaVersion: 2025 }).parsePattern(pattern, 0, pattern.length, { unicode: true })
  } catch {
    return { clauses: [], contextFree: false, sequences: null }
  }
  const context = { assertions: false }
  const info = ofAlternatives(tree.alternatives, context)
  const clauses = info.exact ? [...withClause(info.needs, info.exact)] : info.needs
  return { clauses: dedupe(clauses), contextFree: !context.assertions, sequences: sequencesOf(tree.alternatives) }
}

/** The top-level alternatives as plain sequences, a leading ^ and a trailing $ allowed; null if any is not plain. */
function sequencesOf(alternatives: readonly AST.Alternative[]): RegexSequence[] | null {
  const sequences: RegexSequence[] = []
  for (const alternative of alternatives) {
    const elements = [...alternative.elements]
    const start = elements[0]?.type === 'Assertion' && elements[0].kind === 'start'
    if (start) elements.shift()
    const last = elements.at(-1)
    const end = last?.type === 'Assertion' && last.kind === 'end'
    if (end) elements.pop()
    const expanded = stepsOf(elements)
    if (!expanded) return null
    for (const steps of expanded) sequences.push({ steps, start, end })
    if (sequences.length > maxSequences) return null
  }
  return sequences
}

/**
 * Characters, classes, their repeats and groups of them, a group's alternatives multiplying the
 * sequences (`a(b|c)d` is `abd` or `acd`); null for anything else.
 */
function stepsOf(elements: readonly AST.Element[]): RegexStep[][] | null {
  let sequences: RegexStep[][] = [[]]
  for (const element of elements) {
    let options: RegexStep[][]
    if (element.type === 'Group' || element.type === 'CapturingGroup') {
      if (element.type === 'Group' && element.modifiers) return null
      const inner: RegexStep[][] = []
      for (const alternative of element.alternatives) {
        const steps = stepsOf(alternative.elements)
        if (!steps) return null
        inner.push(...steps)
      }
      options = inner
    } else {
      const step = stepOf(element)
      if (!step) return null
      options = [[step]]
    }
    if (sequences.length * options.length > maxSequences) return null
    sequences = sequences.flatMap((steps) => options.map((option) => [...steps, ...option]))
  }
  return sequences
}

function stepOf(element: AST.Element): RegexStep | null {
  const repeated = element.type === 'Quantifier' ? element.element : element
  const [min, max] = element.type === 'Quantifier' ? [element.min, element.max] : [1, 1]
  if (repeated.type === 'Character') {
    // Lone surrogates and astral characters are left alone (a line's pairs are read whole).
    if (repeated.value > 0xffff || (repeated.value >= 0xd800 && repeated.value <= 0xdfff)) return null
    return min === 1 && max === 1 ? { kind: 'char', code: repeated.value } : { kind: 'class', raw: repeated.raw, min, max }
  }
  if (repeated.type === 'CharacterSet' || repeated.type === 'CharacterClass') return { kind: 'class', raw: repeated.raw, min, max }
  return null
}

function ofAlternatives(alternatives: readonly AST.Alternative[], context: { assertions: boolean }): Info {
  const infos = alternatives.map((alternative) => ofSequence(alternative.elements, context))
  if (infos.length === 1) return infos[0] as Info
  // Either branch: exact when each is and they stay few; else needs one text from each branch.
  const exact = infos.every((info) => info.exact) ? unique(infos.flatMap((info) => info.exact as string[])) : null
  const picks = infos.map(strongest)
  const needs = picks.every((pick) => pick !== null) ? [unique(picks.flat() as string[])] : []
  return { exact: exact && exact.length <= maxExact ? exact : null, needs }
}

/** A sequence: neighbouring exact parts join into longer texts; anything else ends them. */
function ofSequence(elements: readonly AST.Element[], context: { assertions: boolean }): Info {
  const needs: string[][] = []
  let run: string[] = ['']
  let exact = true
  const flush = (): void => {
    if (run.every((text) => text.length > 0)) needs.push(run)
    run = ['']
  }
  for (const element of elements) {
    const info = ofElement(element, context)
    if (info.exact) {
      const joined = cross(run, info.exact)
      if (joined) run = joined
      else {
        flush()
        run = info.exact
        exact = false
      }
      continue
    }
    exact = false
    flush()
    needs.push(...info.needs)
  }
  if (exact) return { exact: run, needs }
  flush()
  return { exact: null, needs }
}

function ofElement(element: AST.Element, context: { assertions: boolean }): Info {
  switch (element.type) {
    case 'Character':
      return { exact: [String.fromCodePoint(element.value)], needs: [] }
    case 'Assertion':
      // Matches no text of its own; what is around it still has to be there.
      context.assertions = true
      return { exact: [''], needs: [] }
    case 'Group':
    case 'CapturingGroup':
      return ofAlternatives(element.alternatives, context)
    case 'Quantifier': {
      const inner = ofElement(element.element, context)
      if (element.min === 0) return nothing
      if (element.min === 1 && element.max === 1) return inner
      const pick = strongest(inner)
      return { exact: null, needs: pick ? [...inner.needs, pick] : inner.needs }
    }
    case 'CharacterClass':
      return ofClass(element)
    default:
      return nothing
  }
}

/** A class of a few plain characters ([Ee]) is as good as their alternation. */
function ofClass(element: AST.CharacterClass): Info {
  if (element.negate || element.unicodeSets || element.elements.length > maxExact) return nothing
  const chars: string[] = []
  for (const item of element.elements) {
    if (item.type !== 'Character') return nothing
    chars.push(String.fromCodePoint(item.value))
  }
  return chars.length > 0 ? { exact: unique(chars), needs: [] } : nothing
}

/** The one clause standing for a node inside an alternation: its exact texts, or its longest need. */
function strongest(info: Info): string[] | null {
  if (info.exact && info.exact.every((text) => text.length > 0)) return info.exact
  let best: string[] | null = null
  let bestLength = 0
  for (const clause of info.needs) {
    const shortest = Math.min(...clause.map((text) => text.length))
    if (shortest > bestLength) {
      best = clause
      bestLength = shortest
    }
  }
  return best
}

function cross(left: readonly string[], right: readonly string[]): string[] | null {
  if (left.length * right.length > maxExact) return null
  const joined = unique(left.flatMap((a) => right.map((b) => a + b)))
  return joined.every((text) => text.length <= maxExactLength) ? joined : null
}

function* withClause(needs: string[][], exact: string[]): Generator<string[]> {
  yield* needs
  if (exact.every((text) => text.length > 0)) yield exact
}

function unique(texts: readonly string[]): string[] {
  return [...new Set(texts)]
}

function dedupe(clauses: readonly string[][]): string[][] {
  const seen = new Set<string>()
  return clauses.filter((clause) => {
    const key = JSON.stringify([...clause].sort())
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
