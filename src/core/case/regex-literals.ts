/**
 * The literal runs a regex cannot match without: what the text index (text-index.ts) and the
 * line shapes (shapes/shape-match.ts) look for before any line is read.
 */

/**
 * Literal runs every match of `pattern` (a `u`-flag JavaScript regex) must contain, found
 * conservatively: anything unclear (alternation, groups, classes, escapes that are not a
 * punctuation character) ends a run, and an optional character is dropped from it.
 */
export function regexLiterals(pattern: string): string[] {
  const runs: string[] = []
  let run = ''
  let lastInRun = false
  const end = (): void => {
    if (run.length > 0) runs.push(run)
    run = ''
    lastInRun = false
  }
  const dropLast = (): void => {
    if (lastInRun) run = run.slice(0, -1)
    end()
  }
  let i = 0
  const n = pattern.length
  // Skips a class or a group starting at i (the opening character), honouring escapes.
  const skipClass = (): void => {
    i++
    while (i < n && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1
    i++
  }
  while (i < n) {
    const ch = pattern[i] as string
    if (ch === '|') return [] // an alternative need not contain anything of the others
    if (ch === '\\') {
      const next = pattern[i + 1] ?? ''
      if (/^[\^$\\.*+?()[\]{}|/-]$/.test(next)) {
        run += next
        lastInRun = true
        i += 2
        continue
      }
      end()
      i += 2
      if ((next === 'p' || next === 'P' || next === 'u') && pattern[i] === '{') {
        while (i < n && pattern[i] !== '}') i++
        i++
      } else if (next === 'k' && pattern[i] === '<') {
        while (i < n && pattern[i] !== '>') i++
        i++
      } else if (next === 'u') i += 4
      else if (next === 'x') i += 2
      else if (next === 'c') i += 1
      else if (/^[0-9]$/.test(next)) while (i < n && /^[0-9]$/.test(pattern[i] as string)) i++
      continue
    }
    if (ch === '[') {
      end()
      skipClass()
      continue
    }
    if (ch === '(') {
      end()
      let depth = 0
      while (i < n) {
        const c = pattern[i] as string
        if (c === '\\') i += 2
        else if (c === '[') skipClass()
        else {
          if (c === '(') depth++
          else if (c === ')' && --depth === 0) {
            i++
            break
          }
          i++
        }
      }
      continue
    }
    if (ch === '*' || ch === '?') {
      dropLast()
      i++
      if (pattern[i] === '?') i++
      continue
    }
    if (ch === '+') {
      end()
      i++
      if (pattern[i] === '?') i++
      continue
    }
    if (ch === '{') {
      const m = /^\{(\d+)(,\d*)?\}/.exec(pattern.slice(i))
      if (m && Number(m[1]) === 0) dropLast()
      else end()
      i += m ? m[0].length : 1
      if (pattern[i] === '?') i++
      continue
    }
    if (ch === '.' || ch === '^' || ch === '$' || ch === ')' || ch === ']' || ch === '}') {
      end()
      i++
      continue
    }
    run += ch
    lastInRun = true
    i++
  }
  end()
  return runs
}
