/**
 * How a model's findings add up. Each finding carries a weight in [0, 1] and a sentence; the
 * score is their noisy-OR (1 − Π(1 − w)), so one strong finding flags a line on its own and
 * several weak ones together can, while no combination ever exceeds 1.
 */
export interface Finding {
  weight: number
  reason: string
}

export function combine(findings: readonly Finding[]): number {
  let keep = 1
  for (const finding of findings) keep *= 1 - Math.min(1, Math.max(0, finding.weight))
  return 1 - keep
}

/** Strongest first, so the first reason is the one to show. */
export function byWeight(a: Finding, b: Finding): number {
  return b.weight - a.weight
}

export function formatCount(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`
  return n.toLocaleString('en-US')
}

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 3 })
}

export function formatShare(share: number): string {
  return `${(share * 100).toFixed(share >= 0.995 && share < 1 ? 1 : share < 0.1 ? 1 : 0)}%`
}
