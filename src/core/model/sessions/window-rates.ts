/**
 * For logs with no session id, time windows stand in for sessions: in each window, every
 * template's count is compared with its reference rate, so a burst (a retry storm, an error
 * flood) or a silence (a heartbeat that stopped) shows even when each line looks ordinary.
 */
import { byWeight, combine, formatNumber } from '../evidence.ts'
import type { Finding } from '../evidence.ts'
import type { SessionScore } from './session-scorer.ts'
import type { TrainingMode } from '../lines/line-model.ts'
import type { Model } from '../model.ts'

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

/** A round window size giving a reference spanning `span` ms about 30 windows or more (10 s to 10 min). */
export function windowSize(span: number): number {
  const sizes = [10_000, 30_000, 60_000, 300_000, 600_000]
  return [...sizes].reverse().find((size) => span / size >= 30) ?? (sizes[0] as number)
}

/** What windows are compared with: a baseline model's templates, or the file's own (self-trained). */
export interface RateReference {
  mode: TrainingMode
  /** Milliseconds from the reference's first to its last timed line. */
  span: number
  threshold: number
  templates: Iterable<RateTemplate>
}

export interface RateTemplate {
  id: number
  /** Lines of this template in the reference. */
  count: number
  /** Milliseconds between its first and last timed line; null when none was timed. */
  spread: number | null
}

/** Scores time windows against a reference's rates; [] when the reference spans too few windows. */
export function referenceWindowScores(windows: WindowTracker, windowMs: number, reference: RateReference, templateText: (id: number) => string): SessionScore[] {
  const { span } = reference
  // Below a handful of windows, a reference rate means nothing.
  if (!(span >= 5 * windowMs) || windows.windows.size === 0) return []
  const perWindow = windowMs / span
  const counts = new Map<number, number>()
  const steady: number[] = []
  for (const t of reference.templates) {
    counts.set(t.id, t.count)
    // Steady: common enough to expect several in every window, and spread over the whole reference.
    if (t.count * perWindow >= 20 && t.spread !== null && t.spread >= 0.9 * span) steady.push(t.id)
  }
  return scoreWindows(windows, {
    windowMs,
    threshold: reference.threshold,
    rate: (template) => (counts.get(template) ?? 0) * perWindow,
    steady,
    templateText,
    reference: reference.mode === 'baseline' ? 'baseline' : 'usual'
  })
}

/** The model's templates as a window-rate reference. */
export function modelRateReference(model: Model): RateReference {
  return {
    mode: model.mode,
    span: model.time.max - model.time.min,
    threshold: model.settings.sessionThreshold,
    templates: [...model.templates.values()].map((t) => ({ id: t.id, count: t.count, spread: t.time.n > 0 ? t.time.max - t.time.min : null }))
  }
}
