/**
 * Canonical severity levels. Logs spell levels many ways (`E`, `err`, `SEVERE`, `Warning`);
 * cases store one small code per line and the UI shows these names.
 */
export const levelNames = ['unknown', 'trace', 'debug', 'info', 'notice', 'warn', 'error', 'fatal'] as const
export type LevelName = (typeof levelNames)[number]
/** Index into `levelNames`; ordered by severity, so `code >= levelCode.warn` means "warn or worse". */
export type LevelCode = number

export const levelCode: Record<LevelName, LevelCode> = {
  unknown: 0,
  trace: 1,
  debug: 2,
  info: 3,
  notice: 4,
  warn: 5,
  error: 6,
  fatal: 7
}

// No prototype: a level written `constructor` is no level.
const spellings = Object.create(null) as Record<string, LevelCode>
for (const [code, words] of [
  [1, 'trace finest finer verbose v'],
  [2, 'debug dbg fine d'],
  [3, 'info information informational i'],
  [4, 'notice n'],
  [5, 'warn warning w'],
  [6, 'error err severe failure fail e'],
  [7, 'fatal crit critical alert emerg emergency panic f a']
] as const) {
  for (const word of words.split(' ')) spellings[word] = code
}

/** Maps a level as written in a log (any case, no decoration) to its code; unknown → 0. */
export function normalizeLevel(level: string | null | undefined): LevelCode {
  if (!level) return 0
  return spellings[level.toLowerCase()] ?? 0
}

export function levelName(code: LevelCode): LevelName {
  return levelNames[code] ?? 'unknown'
}
