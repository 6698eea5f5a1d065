import { normalizeLevel } from '../../shared/levels.ts'
import type { LevelCode } from '../../shared/levels.ts'

const LEVELS = new Set(
  'trace debug dbg fine finer finest verbose info information informational notice warn warning err error severe fatal crit critical alert emerg emergency panic failure'.split(
    ' '
  )
)
const LETTER_LEVELS = new Set(['V', 'D', 'I', 'W', 'E', 'F', 'A'])

/** Strips the decoration levels often carry: `[INFO]`, `<warn>`, `ERROR:`. */
const OPEN = new Set([...'[(<{'].map((c) => c.charCodeAt(0)))
const CLOSE = new Set([...']):>},|'].map((c) => c.charCodeAt(0)))

/** OPEN (1) and CLOSE (2) as a table, for the per-line `LevelReader`. */
const DECORATION = new Uint8Array(128)
for (const c of OPEN) DECORATION[c] = 1
for (const c of CLOSE) DECORATION[c] = 2

export function cleanToken(token: string): string {
  let a = 0
  let b = token.length
  while (a < b && OPEN.has(token.charCodeAt(a))) a++
  while (b > a && CLOSE.has(token.charCodeAt(b - 1))) b--
  return a === 0 && b === token.length ? token : token.slice(a, b)
}

export function isLevelWord(token: string): boolean {
  const t = cleanToken(token)
  return LEVELS.has(t.toLowerCase())
}

/** Single-letter levels (logcat style) only count when the whole column uses them. */
export function isLetterLevel(token: string): boolean {
  return LETTER_LEVELS.has(cleanToken(token))
}

/**
 * The level code of the token `text[start, end)`, as `normalizeLevel(cleanToken(token))`
 * gives it, without a string per line: a column holds few spellings, remembered as met.
 */
export class LevelReader {
  readonly #words: string[] = []
  readonly #codes: LevelCode[] = []

  code(text: string, start: number, end: number): LevelCode {
    let a = start
    let b = end
    while (a < b && DECORATION[text.charCodeAt(a)] === 1) a++
    while (b > a && DECORATION[text.charCodeAt(b - 1)] === 2) b--
    const words = this.#words
    for (let i = 0; i < words.length; i++) {
      const w = words[i] as string
      if (w.length === b - a && text.startsWith(w, a)) return this.#codes[i] as LevelCode
    }
    const word = text.slice(a, b)
    const code = normalizeLevel(word)
    // Bounded: a column of free text (a misdetected layout) must not grow it without end.
    if (words.length < 32) {
      words.push(word)
      this.#codes.push(code)
    }
    return code
  }
}
