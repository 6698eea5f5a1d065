const LEVELS = new Set(
  'trace debug dbg fine finer finest verbose info information informational notice warn warning err error severe fatal crit critical alert emerg emergency panic failure'.split(
    ' '
  )
)
const LETTER_LEVELS = new Set(['V', 'D', 'I', 'W', 'E', 'F', 'A'])

/** Strips the decoration levels often carry: `[INFO]`, `<warn>`, `ERROR:`. */
const OPEN = new Set([...'[(<{'].map((c) => c.charCodeAt(0)))
const CLOSE = new Set([...']):>},|'].map((c) => c.charCodeAt(0)))

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
