/**
 * For logs with no session id, time windows stand in for sessions: in each window, every
 * template's count is compared with its reference rate, so a burst (a retry storm, an error
 * flood) or a silence (a heartbeat that stopped) shows even when each line looks ordinary.
 */
import { byWeight, combine, formatNumber } from '../evidence.ts'
import type { Finding } from '../evidence.ts'
import type { SessionScore } from './session-scorer.ts'

export interface WindowOptions {
  windowMs: number
  threshold: number
  /** Reference lines per template per window. */
  rate: (template: number) => number
  /** Templates the reference expects in every window (a steady rate worth missing). */
  steady: readonly number[]
  templateText: (id: number) => string
  reference: string
}

interface Window {
  start: number
  counts: Map<number, number>
  firstLine: number
  lastLine: number
  lines: number
}

export class WindowTracker {
  readonly #windowMs: number
  readonly windows = new Map<number, Window>()

  constructor(windowMs: number) {
    this.#windowMs = windowMs
  }

  add(template: number, ts: number, lineNo: number): void {
    const start = Math.floor(ts / this.#windowMs) * this.#windowMs
    let window = this.windows.get(start)
    if (!window) this.windows.set(start, (window = { start, counts: new Map(), firstLine: lineNo, lastLine: lineNo, lines: 0 }))
    window.counts.set(template, (window.counts.get(template) ?? 0) + 1)
    window.lastLine = Math.max(window.lastLine, lineNo)
    window.firstLine = Math.min(window.firstLine, lineNo)
    window.lines++
  }
}

export function scoreWindows(tracker: WindowTracker, options: WindowOptions): SessionScore[] {
  const starts = [...tracker.windows.keys()].sort((a, b) => a - b)
  const first = starts[0]
  const last = starts.at(-1)
  return starts.map((start) => {
    const window = tracker.windows.get(start) as Window
    const findings: Finding[] = []
    for (const [template, count] of window.counts) {
      const expected = options.rate(template)
      if (count >= 10 && count >= 5 * expected + 5) {
        findings.push({
          weight: Math.min(0.9, 0.4 + 0.1 * Math.log2(count / (expected + 1))),
          reason: `burst: '${options.templateText(template)}' ${formatNumber(count)} times in ${minutes(options.windowMs)}, ${options.reference} rate ${formatRate(expected)}`
        })
      }
    }
    // Partial windows at either end of the log say nothing about silence.
    if (start !== first && start !== last) {
      for (const template of options.steady) {
        if (!window.counts.has(template)) {
          findings.push({
            weight: 0.5,
            reason: `silence: no '${options.templateText(template)}' for ${minutes(options.windowMs)}, ${options.reference} rate ${formatRate(options.rate(template))}`
          })
        }
      }
    }
    const score = combine(findings)
    return {
      id: `window ${new Date(start).toISOString()}`,
      score,
      anomaly: score >= options.threshold,
      reasons: findings.sort(byWeight).map((f) => f.reason),
      firstLine: window.firstLine,
      lastLine: window.lastLine,
      lines: window.lines
    }
  })
}

function minutes(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1_000} s`
}

function formatRate(perWindow: number): string {
  return perWindow >= 10 ? `${Math.round(perWindow)} per window` : `${perWindow.toFixed(1)} per window`
}
