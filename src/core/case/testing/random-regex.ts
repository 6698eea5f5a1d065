import fc from 'fast-check'

/**
 * Small random regexes built from `atoms` (characters and classes as written), so that random
 * lines over the same alphabet match them often. Groups are optional at most (`?`), never
 * repeated: nested open-ended repeats can backtrack for ages even on lines of a dozen characters.
 */
export function randomRegex(atoms: readonly string[]): fc.Arbitrary<string> {
  return fc.letrec<{ node: string; atom: string }>((tie) => ({
    atom: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.tuple(fc.constantFrom(...atoms), fc.constantFrom('', '', '?', '*', '+', '{2}', '{0,2}', '{1,3}')).map(([atom, quantifier]) => atom + quantifier),
      fc.tuple(tie('node'), fc.constantFrom('', '', '?')).map(([inner, quantifier]) => `(${inner})${quantifier}`),
      tie('node').map((inner) => `(?:${inner})`)
    ),
    node: fc.oneof(
      { depthSize: 'small' },
      fc.array(tie('atom'), { maxLength: 4 }).map((parts: string[]) => parts.join('')),
      fc.tuple(tie('node'), tie('node')).map(([a, b]) => `${a}|${b}`),
      fc.tuple(fc.constantFrom('^', '$', '\\b', '(?=a)', '(?<!b)'), tie('node')).map(([a, b]) => a + b)
    )
  })).node
}
