/**
 * Scores single lines against what the baseline held: templates never seen (novelty), templates
 * seen rarely (rarity), parameters outside their range or with a value never seen, and a level
 * more severe than the template ever had. In self-trained mode (no baseline: the file is its own
 * reference) novelty cannot exist, so rarity, bursts and severity within the file carry the weight:
 * a level only a small minority of a template's lines reach, a burst weighed by its severity, and
 * a plain level that counts for little on lines that only read out a value (rows of a dump).
 */
import { levelCode, levelName } from '../../../shared/levels.ts'
import { byWeight, combine, formatCount, formatNumber, formatShare } from '../evidence.ts'
import type { Finding } from '../evidence.ts'
import type { LineScore, LineScorer, ScoreInput } from '../line-scorer.ts'
import { describeValue, paramLabels } from './param-label.ts'
import type { ParamLabel } from './param-label.ts'
import { parseNumber } from './param-stats.ts'
import type { ParamVerdict } from './param-stats.ts'
import type { TemplateStats } from './template-stats.ts'
import { isNamedValue, isReadoutValue } from './readout-line.ts'
import { concentration, positionConcentration } from './time-spread.ts'
import type { TimeSpread } from './time-spread.ts'

export type TrainingMode = 'baseline' | 'self'

export interface LineModelOptions {
  mode: TrainingMode
  /** Lines the statistics were gathered from. */
  totalLines: number
  /** How the reference's lines spread over time. */
  time: TimeSpread
  /** Flag lines scoring at least this. */
  threshold: number
  /** Extra per-template findings from other model families (e.g. the isolation forest). */
  templateFindings?: ((templateId: number, template: string) => Finding | null) | undefined
}

const cacheLimit = 50_000

export class LineModel implements LineScorer {
  readonly #stats: ReadonlyMap<number, TemplateStats>
  readonly #options: LineModelOptions
  readonly #labels = new Map<number, ParamLabel[]>()
  readonly #namedValue = new Map<number, boolean>()
  readonly #cache = new Map<number | string, LineScore>()

  constructor(stats: ReadonlyMap<number, TemplateStats>, options: LineModelOptions) {
    this.#stats = stats
    this.#options = options
  }

  get threshold(): number {
    return this.#options.threshold
  }

  scoreLine(input: ScoreInput): LineScore {
    const stats = this.#stats.get(input.templateId)
    // Params are extracted only when some position of the template can be judged at all.
    const verdicts = stats && judgesParams(stats) ? this.#judgeParams(stats, input) : noVerdicts
    // Lines that differ only in ids and in-range numbers share a score: cache on what matters.
    // Most lines have no verdict: a number stands for (template, level) without building a string.
    const level = input.level
    const readout = this.#isNamedValue(input.templateId, input.template) && isReadoutValue(lastParam(input))
    const key: number | string =
      verdicts.length === 0 && (level & 15) === level
        ? (input.templateId * 16 + level) * 2 + (readout ? 1 : 0)
        : `${input.templateId}|${level}|${readout ? 'r' : ''}|${verdicts.map(verdictKey).join(',')}`
    const cached = this.#cache.get(key)
    if (cached) return cached
    const findings = this.#findings(input, stats, verdicts, readout)
    const score = combine(findings)
    const result: LineScore = {
      score,
      anomaly: score >= this.#options.threshold,
      reasons: findings.sort(byWeight).map((f) => f.reason)
    }
    if (this.#cache.size >= cacheLimit) this.#cache.clear()
    this.#cache.set(key, result)
    return result
  }

  #judgeParams(stats: TemplateStats, input: ScoreInput): { index: number; verdict: ParamVerdict }[] {
    const out: { index: number; verdict: ParamVerdict }[] = []
    const count = paramCount(input)
    for (let i = 0; i < count && i < stats.params.length; i++) {
      const p = stats.params[i]
      // As `judge`, with a number read without its string where the input can (see ScoreInput).
      if (p === undefined || !p.canJudge()) continue
      let verdict = p.numericOnly ? p.judgeNumber(paramNumber(input, i)) : undefined
      if (verdict === undefined) verdict = p.judgeCategory(param(input, i))
      if (verdict) out.push({ index: i, verdict })
    }
    return out
  }

  #isNamedValue(templateId: number, template: string): boolean {
    let named = this.#namedValue.get(templateId)
    if (named === undefined) this.#namedValue.set(templateId, (named = isNamedValue(template)))
    return named
  }

  #findings(input: ScoreInput, stats: TemplateStats | undefined, verdicts: Verdicts, readout: boolean): Finding[] {
    const { mode, totalLines } = this.#options
    const findings: Finding[] = []
    const level = input.level
    // A readout's level belongs to the dump it is part of: as evidence, it counts as routine.
    const severity = readout ? Math.min(level, levelCode.info) : level

    if (!stats) {
      if (mode === 'baseline') {
        findings.push({
          weight: level >= levelCode.error ? 0.95 : 0.85,
          reason: `template never seen in baseline (0 of ${formatCount(totalLines)} lines)${level >= levelCode.warn ? ` at ${levelName(level).toUpperCase()}` : ''}`
        })
      }
    } else {
      const rarity = rarityWeight(stats.count, totalLines, mode)
      if (rarity > 0) {
        findings.push({
          weight: rarity,
          reason: `rare template: ${formatCount(stats.count)} of ${formatCount(totalLines)} ${mode === 'baseline' ? 'baseline ' : ''}lines`
        })
      }
      // Self-trained, the file's own lines at this level are in the statistics: a level is
      // unusual for a template when only a small minority of its lines reach it.
      const usual = mode === 'baseline' ? stats.maxLevel : usualLevelBelow(stats, level)
      if (level >= levelCode.warn && level > usual && usual > 0) {
        // A jump over several levels (DEBUG straight to WARN) says more than one step.
        findings.push({
          weight: level >= levelCode.error ? 0.6 : Math.min(0.6, 0.35 + 0.1 * (level - usual - 1)),
          reason:
            mode === 'baseline'
              ? `${levelName(level).toUpperCase()}, but this template was at most ${levelName(usual).toUpperCase()} in the baseline`
              : `${levelName(level).toUpperCase()}, but ${formatShare(1 - atOrAbove(stats, level) / stats.count)} of this template's ${formatCount(stats.count)} lines in the file are at most ${levelName(usual).toUpperCase()}`
        })
      }
      if (mode === 'self') {
        const burst = burstFinding(stats, this.#options.time, totalLines, severity)
        if (burst) findings.push(burst)
      }
      const labels = this.#labelsFor(stats)
      for (const { index, verdict } of verdicts) findings.push(paramFinding(labels[index], verdict))
    }

    if (mode === 'self' && level >= levelCode.error) {
      const weight = level >= levelCode.fatal ? 0.4 : 0.3
      findings.push(
        readout
          ? { weight: weight / 4, reason: `logged at ${levelName(level).toUpperCase()}, but it only reads out a value (a row of a dump)` }
          : { weight, reason: `logged at ${levelName(level).toUpperCase()}` }
      )
    }
    const extra = this.#options.templateFindings?.(input.templateId, input.template)
    if (extra) findings.push(extra)
    return findings
  }

  #labelsFor(stats: TemplateStats): ParamLabel[] {
    let labels = this.#labels.get(stats.id)
    if (!labels) this.#labels.set(stats.id, (labels = paramLabels(stats.text)))
    return labels
  }
}

/** A minority level: fewer than this share of a template's lines reach it… */
const minorityShare = 0.1
/** …while at least this many sit below it (fewer say nothing about what is usual). */
const minorityBase = 20

function atOrAbove(stats: TemplateStats, level: number): number {
  let n = 0
  for (let code = level; code < stats.levels.length; code++) n += stats.levels[code] ?? 0
  return n
}

/**
 * Self-trained: the most severe level below `level` when lines at `level` or worse are a small
 * minority of the template's lines (so `level` is an escalation); `level` itself otherwise.
 */
function usualLevelBelow(stats: TemplateStats, level: number): number {
  const above = atOrAbove(stats, level)
  if (stats.count - above < minorityBase || above >= minorityShare * stats.count) return level
  for (let code = level - 1; code > 0; code--) if ((stats.levels[code] ?? 0) > 0) return code
  return level
}

/** How unusual a template's frequency is: nothing above 1 in 1,000 lines, rising for rarer ones. */
export function rarityWeight(count: number, total: number, mode: TrainingMode): number {
  if (total <= 0) return 0
  const decades = Math.log10(total / Math.max(count, 0.5)) - 3
  const ceiling = mode === 'self' ? 0.45 : 0.4
  return Math.max(0, Math.min(ceiling, (decades / 3) * ceiling))
}

/**
 * Self-trained: a template whose lines all fall in a narrow stretch of the log, both in time and
 * among the log's own lines (a busy hour packs every template into little time; a burst stands
 * out from its neighbours). A burst of errors is an incident; a burst of routine lines is more
 * often a phase of work (a batch, a job, a restart), so it counts for less.
 */
function burstFinding(stats: TemplateStats, whole: TimeSpread, totalLines: number, severity: number): Finding | null {
  const inTime = concentration(stats.time, whole)
  if (inTime === null) return null
  const ratio = Math.max(inTime, positionConcentration(stats.positions, stats.count, totalLines) ?? 0)
  if (ratio >= 0.2) return null
  const span = whole.max - whole.min
  const share = span > 0 ? (stats.time.max - stats.time.min) / span : 0
  const tight = ratio < 0.1
  return {
    weight: burstWeight(severity, tight),
    reason: `all ${formatCount(stats.count)} lines of this template fall within ${formatWindow(stats.time.min, stats.time.max)} (${formatShare(share)} of the log's time span)`
  }
}

/** A burst's weight by the line's severity: with the level, errors flag; warnings and routine lines need more evidence. */
function burstWeight(severity: number, tight: boolean): number {
  if (severity >= levelCode.error) return tight ? 0.55 : 0.45
  if (severity >= levelCode.warn) return tight ? 0.45 : 0.35
  return tight ? 0.25 : 0.2
}

/** `15:08:12–15:11:40`, with dates when the window spans days. */
function formatWindow(from: number, to: number): string {
  const a = new Date(from).toISOString()
  const b = new Date(to).toISOString()
  return a.slice(0, 10) === b.slice(0, 10) ? `${a.slice(11, 19)}–${b.slice(11, 19)}` : `${a.slice(0, 10)} ${a.slice(11, 19)}–${b.slice(0, 10)} ${b.slice(11, 19)}`
}

function paramFinding(label: ParamLabel | undefined, verdict: ParamVerdict): Finding {
  if (verdict.kind === 'range') {
    return {
      weight: Math.min(0.9, 0.3 + 0.2 * Math.log10(verdict.ratio)),
      reason: `${describeValue(label, formatNumber(verdict.value))} outside baseline range ${formatNumber(verdict.min)}–${formatNumber(verdict.max)}`
    }
  }
  const seen = verdict.seen.slice(0, 5).join(', ') + (verdict.seen.length > 5 ? ', …' : '')
  return { weight: 0.55, reason: `${describeValue(label, verdict.value)} never seen (baseline had ${seen})` }
}

/** The input's params through its own accessors where it has them (see ScoreInput), else from `params`. */
function paramCount(input: ScoreInput): number {
  return input.paramCount ?? input.params.length
}

function param(input: ScoreInput, i: number): string {
  return input.param ? input.param(i) : (input.params[i] ?? '')
}

function paramNumber(input: ScoreInput, i: number): number | null {
  return input.paramNumber ? input.paramNumber(i) : parseNumber(input.params[i] ?? '')
}

/** The input's last param (undefined: none). */
function lastParam(input: ScoreInput): string | undefined {
  const count = paramCount(input)
  return count > 0 ? param(input, count - 1) : undefined
}

type Verdicts = readonly { index: number; verdict: ParamVerdict }[]
const noVerdicts: Verdicts = []

function judgesParams(stats: TemplateStats): boolean {
  for (const p of stats.params) if (p.canJudge()) return true
  return false
}

function verdictKey({ index, verdict }: { index: number; verdict: ParamVerdict }): string {
  return `${index}${verdict.kind === 'range' ? 'r' : 'u'}${verdict.value}`
}
