/** Which lines an export holds: every anchor (flagged or bookmarked line) with ±N lines around it. */

/** Inclusive line ranges, ascending, merged where they touch or overlap, clipped to 1…`total`. */
export function contextRanges(anchors: Iterable<number>, context: number, total: number): [number, number][] {
  if (!Number.isInteger(context) || context < 0) throw new Error(`context must be a whole number of lines ≥ 0, not ${context}`)
  const sorted = [...new Set(anchors)].filter((n) => n >= 1 && n <= total).sort((a, b) => a - b)
  const ranges: [number, number][] = []
  for (const line of sorted) {
    const from = Math.max(1, line - context)
    const to = Math.min(total, line + context)
    const last = ranges[ranges.length - 1]
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to)
    else ranges.push([from, to])
  }
  return ranges
}
