/** Timestamp forms seen in the wild, each parsed to epoch milliseconds (UTC when no zone). */

const MONTHS = 'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ')
const MON = '(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\\.?'
const DOW = '(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?'

export interface TimestampPattern {
  readonly name: string
  /** Sticky regex, applied at a token start. */
  readonly re: RegExp
  /** Whether the form carries a calendar date (time-only and date-only forms are weaker). */
  readonly strength: 2 | 1
  toMs(m: RegExpExecArray, defaultYear: number): number | null
}

function monthIndex(name: string | undefined): number {
  return MONTHS.indexOf((name ?? '').slice(0, 3).toLowerCase())
}

function num(s: string | undefined): number {
  return s === undefined || s === '' ? 0 : Number(s)
}

/** Fraction digits of any length → milliseconds. */
function fraction(s: string | undefined): number {
  if (!s) return 0
  return Math.floor(Number(s.padEnd(3, '0').slice(0, 3)))
}

function zoneOffsetMs(z: string | undefined): number {
  if (!z || z === 'Z') return 0
  const sign = z.startsWith('-') ? -1 : 1
  const digits = z.replace(/[^0-9]/g, '')
  const h = Number(digits.slice(0, 2))
  const m = Number(digits.slice(2, 4) || '0')
  return sign * (h * 60 + m) * 60_000
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 0 || mo > 11 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null
  return Date.UTC(y, mo, d, h, mi, s, ms)
}

function pattern(
  name: string,
  source: string,
  toMs: TimestampPattern['toMs'],
  strength: 2 | 1 = 2
): TimestampPattern {
  // The lookahead keeps a form from matching the prefix of a longer number.
  return { name, re: new RegExp(source + '(?![0-9])', 'y'), toMs, strength }
}

export const TIMESTAMP_PATTERNS: readonly TimestampPattern[] = [
  // Sun Dec 04 04:47:44 2005
  pattern('ctime', `${DOW} +${MON} +(\\d{1,2}) (\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))? (\\d{4})`, (m) =>
    utc(num(m[7]), monthIndex(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), fraction(m[6]))
  ),
  // 2015-10-18 18:01:47,978 · 2017-05-16T00:00:00.008+02:00 · 2005-06-03-15.42.50.675872
  pattern(
    'iso',
    '(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?:[T _-]|, ?)(\\d{1,2})[:.](\\d{2})[:.](\\d{2})(?:[.,:](\\d{1,9}))?(?: ?(Z|[+-]\\d{2}(?::?\\d{2})?))?',
    (m) => {
      const t = utc(num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6]), fraction(m[7]))
      return t === null ? null : t - zoneOffsetMs(m[8])
    }
  ),
  // 10/Oct/2000:13:55:36 -0700 (access logs)
  pattern('clf', `(\\d{1,2})/${MON}/(\\d{4}):(\\d{2}):(\\d{2}):(\\d{2})(?: ([+-]\\d{4}))?`, (m) => {
    const t = utc(num(m[3]), monthIndex(m[2]), num(m[1]), num(m[4]), num(m[5]), num(m[6]), 0)
    return t === null ? null : t - zoneOffsetMs(m[7])
  }),
  // 20171223-22:15:29:606
  pattern('compact-dash', '(\\d{4})(\\d{2})(\\d{2})[-T](\\d{1,2}):?(\\d{2}):?(\\d{2})(?:[.,:](\\d{1,6}))?', (m) =>
    utc(num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6]), fraction(m[7]))
  ),
  // 17/06/09 20:10:40 (yy/MM/dd) or 06/09/2017 20:10:40 (MM/dd/yyyy)
  pattern('slash', '(\\d{2}|\\d{4})/(\\d{1,2})/(\\d{2}|\\d{4}),? (\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?', (m) => {
    const a = m[1] ?? ''
    const c = m[3] ?? ''
    if (c.length === 4) return utc(num(c), num(a) - 1, num(m[2]), num(m[4]), num(m[5]), num(m[6]), fraction(m[7]))
    const y = a.length === 4 ? num(a) : 2000 + num(a)
    return utc(y, num(m[2]) - 1, num(c), num(m[4]), num(m[5]), num(m[6]), fraction(m[7]))
  }),
  // 081109 203615 (yyMMdd HHmmss)
  pattern('yymmdd', '(\\d{2})(\\d{2})(\\d{2}) (\\d{2})(\\d{2})(\\d{2})', (m) =>
    utc(2000 + num(m[1]), num(m[2]) - 1, num(m[3]), num(m[4]), num(m[5]), num(m[6]), 0)
  ),
  // Jun 14 15:16:01 · Jul  1 09:00:55 2017
  pattern(
    'syslog',
    `(?:${DOW} +)?${MON} +(\\d{1,2}),? (\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?(?: (\\d{4}))?`,
    (m, year) => utc(m[7] ? num(m[7]) : year, monthIndex(m[1]), num(m[2]), num(m[3]), num(m[4]), num(m[5]), fraction(m[6]))
  ),
  // 03-17 16:13:38.811 (MM-dd, no year)
  pattern('mm-dd', '(\\d{1,2})-(\\d{1,2}) (\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?', (m, year) =>
    utc(year, num(m[1]) - 1, num(m[2]), num(m[3]), num(m[4]), num(m[5]), fraction(m[6]))
  ),
  // 10.30 16:49:06 (MM.dd, no year)
  pattern('mm.dd', '(\\d{1,2})\\.(\\d{1,2}) (\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?', (m, year) =>
    utc(year, num(m[1]) - 1, num(m[2]), num(m[3]), num(m[4]), num(m[5]), fraction(m[6]))
  ),
  // 14 Jun 2016 15:16:01
  pattern('dd-mon-yyyy', `(\\d{1,2})[ -]${MON}[ -](\\d{4})[ :](\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d+))?`, (m) =>
    utc(num(m[3]), monthIndex(m[2]), num(m[1]), num(m[4]), num(m[5]), num(m[6]), fraction(m[7]))
  ),
  // Epoch seconds (2000–2100) with optional fraction, or epoch milliseconds.
  pattern('epoch', '(\\d{10})(?:\\.(\\d{1,9}))?', (m) => {
    const s = num(m[1])
    return s >= 946_684_800 && s < 4_102_444_800 ? s * 1000 + fraction(m[2]) : null
  }),
  pattern('epoch-ms', '(\\d{13})', (m) => {
    const ms = num(m[1])
    return ms >= 946_684_800_000 && ms < 4_102_444_800_000 ? ms : null
  }),
  // Date alone: 2005.06.03
  pattern(
    'date',
    '(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})(?![:T])',
    (m) => utc(num(m[1]), num(m[2]) - 1, num(m[3]), 0, 0, 0, 0),
    1
  ),
  // Time alone: 15:16:01.123 (milliseconds into the day)
  pattern(
    'time',
    '(\\d{1,2}):(\\d{2}):(\\d{2})(?:[.,](\\d{1,9}))?',
    (m) => utc(1970, 0, 1, num(m[1]), num(m[2]), num(m[3]), fraction(m[4])),
    1
  )
]

export interface TimestampMatch {
  readonly pattern: TimestampPattern
  readonly end: number
  readonly ms: number
}

/** Tries one pattern at `pos`; null unless it matches and yields a valid instant. */
export function matchTimestampWith(
  p: TimestampPattern,
  text: string,
  pos: number,
  defaultYear: number
): TimestampMatch | null {
  p.re.lastIndex = pos
  const m = p.re.exec(text)
  if (m === null) return null
  const ms = p.toMs(m, defaultYear)
  return ms === null || Number.isNaN(ms) ? null : { pattern: p, end: pos + m[0].length, ms }
}

/** First pattern (in preference order) that parses at `pos`. */
export function matchTimestamp(text: string, pos: number, defaultYear: number): TimestampMatch | null {
  for (const p of TIMESTAMP_PATTERNS) {
    const hit = matchTimestampWith(p, text, pos, defaultYear)
    if (hit !== null) return hit
  }
  return null
}

/** Parses a whole string as a timestamp (used for user format strings). */
export function parseTimestamp(text: string, defaultYear: number): number | null {
  const t = text.trim().replace(/^\[|\]$/g, '')
  for (const p of TIMESTAMP_PATTERNS) {
    const hit = matchTimestampWith(p, t, 0, defaultYear)
    if (hit !== null && hit.end >= t.replace(/[,\]]$/, '').length) return hit.ms
  }
  return null
}
