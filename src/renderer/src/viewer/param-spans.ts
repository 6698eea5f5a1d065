/**
 * Where a line's parameters are: the template (`Received block <*> of size <*>`) is matched
 * against the end of the line (the message follows the header) and each `<*>` gives a span.
 * Compiled patterns are cached per template.
 */
const wildcard = '<*>'
const cache = new Map<string, RegExp | null>()
const cacheLimit = 5_000

function compile(template: string): RegExp | null {
  const tokens = template.trim().split(/\s+/)
  if (!tokens.some((t) => t.includes(wildcard))) return null
  const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const body = tokens.map((t) => t.split(wildcard).map(escape).join('(.*?)')).join('\\s+')
  try {
    return new RegExp(`${body}\\s*$`, 'd')
  } catch {
    return null
  }
}

/** [start, end) column spans (0-based) of the parameters in `line`; empty when it does not fit. */
export function paramSpans(template: string, line: string): [number, number][] {
  let pattern = cache.get(template)
  if (pattern === undefined) {
    if (cache.size >= cacheLimit) cache.clear()
    cache.set(template, (pattern = compile(template)))
  }
  if (!pattern) return []
  const match = pattern.exec(line)
  if (!match?.indices) return []
  const spans: [number, number][] = []
  for (let i = 1; i < match.indices.length; i++) {
    const span = match.indices[i]
    if (span && span[1] > span[0]) spans.push([span[0], span[1]])
  }
  return spans
}
