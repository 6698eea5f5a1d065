/**
 * numpy's `percentile(values, p)` with the default 'linear' method, reproduced operation for
 * operation (virtual index (n-1)·q, floor, and numpy's two-sided lerp) so `offset_` matches
 * sklearn bit for bit given the same scores. `p` is in [0, 100].
 */
export function percentile(values: ArrayLike<number>, p: number): number {
  const n = values.length
  if (n === 0) throw new Error('percentile of an empty list')
  if (!(p >= 0 && p <= 100)) throw new Error(`percentile must be in [0, 100], got ${p}`)
  const sorted = Float64Array.from(values).sort()
  const q = p / 100
  const virtual = (n - 1) * q
  let prev: number
  let next: number
  if (virtual >= n - 1) {
    prev = n - 1
    next = n - 1
  } else {
    prev = Math.floor(virtual)
    next = prev + 1
  }
  const a = sorted[prev] ?? 0
  const b = sorted[next] ?? 0
  // numpy computes gamma against the clamped index (-1 past the end); a === b there anyway.
  const gamma = virtual >= n - 1 ? virtual + 1 : virtual - prev
  const diff = b - a
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
}
