/** Severity bands for gutter markers, from the anomaly score. */
export type Severity = 'high' | 'medium' | 'low'

export function severityOf(score: number): Severity {
  return score >= 0.85 ? 'high' : score >= 0.65 ? 'medium' : 'low'
}

export function hoverMarkdown(score: number, reasons: readonly string[]): string {
  const escape = (text: string): string => text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&')
  return [`**Anomaly score ${score.toFixed(2)}**`, ...reasons.map((r) => `- ${escape(r)}`)].join('\n\n')
}
