/**
 * Splits the start of a line into header tokens: whitespace-separated, except that a token
 * opening with `[` runs to its matching `]` so `[req-1 - - -]` or `[Sun Dec 04 …]` stay whole.
 * Writes start/end offsets into the given arrays and returns how many tokens it found. The line
 * may be `line[from, to)` of a longer text (offsets are then in that text).
 */
export function headerTokens(
  line: string,
  max: number,
  starts: number[],
  ends: number[],
  stopAtColonFrom = Infinity,
  from = 0,
  to = line.length
): number {
  const n = to
  let i = from
  let count = 0
  // Characters are read once each and tested inline: this runs for every line of an ingest.
  while (count < max) {
    let c = 0
    while (i < n && (c = line.charCodeAt(i)) <= 32 && isSpace(c)) i++
    if (i >= n) break
    const start = i
    if (c === 91 /* [ */) {
      const close = matchingBracket(line, i, n)
      if (close > 0) i = close + 1
    }
    while (i < n && ((c = line.charCodeAt(i)) > 32 || !isSpace(c))) i++
    starts[count] = start
    ends[count] = i
    count++
    // A `component:` token ends the header: no need to scan into the message.
    if (count > stopAtColonFrom && line.charCodeAt(i - 1) === 58) break
  }
  return count
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12
}

/** Index of the `]` closing the `[` at `open`, or -1 (bounded scan: header brackets are short). */
function matchingBracket(line: string, open: number, end: number): number {
  let depth = 0
  const limit = Math.min(end, open + 512)
  for (let i = open; i < limit; i++) {
    const c = line.charCodeAt(i)
    if (c === 91) depth++
    else if (c === 93 && --depth === 0) return i
  }
  return -1
}
