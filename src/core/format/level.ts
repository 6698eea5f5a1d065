import { normalizeLevel } from '../../shared/levels.ts'
import type { LevelCode } from '../../shared/levels.ts'

const LEVELS = new Set(
  'trace debug dbg fine finer finest verbose info information informational notice warn warning err error severe fatal crit critical alert emerg emergency panic failure'.split(
    ' '
  )
)
const LETTER_LEVELS = new Set(['V', 'D', 'I', 'W', 'E', 'F', 'A'])

/** The decoration levels often carry (`[INFO]`, `<warn>`, `ERROR:`): 1 opens, 2 closes. */
const DECORATION = new Uint8Array(128)
for (const c of '[(<{') DECORATION[c.charCodeAt(0)] = 1
for (const c of ']):>},|') DECORATION[c.charCodeAt(0)] = 2

/** Where `text[start, end)` begins past its opening decoration. */
function undecoratedStart(text: string, start: number, end: number): number {
  while (start < end && DECORATION[text.charCodeAt(start)] === 1) start++
  return start
}

/** Where `text[start, end)` ends before its closing decoration. */
function undecoratedEnd(text: string, start: number, end: number): number {
  while (end > start && DECORATION[text.charCodeAt(end - 1)] === 2) end--
  return end
}

export function cleanToken(token: string): string {
  const a = undecoratedStart(token, 0, token.length)
  const b = undecoratedEnd(token, a, token.length)
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
    const a = undecoratedStart(text, start, end)
    const b = undecoratedEnd(text, a, end)
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
