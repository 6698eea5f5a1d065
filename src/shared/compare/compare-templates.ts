/**
 * Compare with the baseline: which templates are new in the incident, which vanished from it,
 * and which changed rate. Pure, so the CLI and the viewer share it.
 *
 * Rates are per line of each side, so a 10-minute incident and a day of baseline compare fairly.
 * Counts are noisy when small, so:
 * - a rate change needs a ratio of at least `minRatio` (either way), a count of at least
 *   `minCount` on one side, and must be unlikely under equal rates: |z| ≥ `minZ` in the
 *   binomial test conditioned on the template's total (of its b + i lines, how many would fall
 *   in the incident if rates were equal);
 * - the ratio itself is smoothed (`smoothing` added to both counts), so 1 line against 0
 *   does not read as ×∞;
 * - a template vanished only if the baseline rate predicts at least `minCount` lines in the
 *   incident (absence of a template expected twice is not news);
 * - every new template is shown, even a single line: that is the most interesting row.
 *
 * Templates are matched by id, so both sides must come from the same miner lineage: the
 * incident mined with the baseline model's miner, which gives known templates their baseline ids.
 */
export interface TemplateCount {
  id: number
  text: string
  count: number
  /** First line of the template in this side's log (for links into the viewer). */
  firstLine?: number | undefined
}

export interface TemplateCounts {
  /** Lines (records) the counts were taken over. */
  totalLines: number
  templates: readonly TemplateCount[]
}

export type CompareKind = 'new' | 'vanished' | 'rate'

export interface CompareRow {
  kind: CompareKind
  templateId: number
  template: string
  baselineCount: number
  incidentCount: number
  /** Share of each side's lines. */
  baselineRate: number
  incidentRate: number
  /** Incident lines expected at the baseline rate. */
  expected: number
  /** Smoothed incident rate ÷ baseline rate; null for new templates. */
  ratio: number | null
  /** First incident line of the template (null when it vanished). */
  firstLine: number | null
}

export interface TemplateComparison {
  baselineLines: number
  incidentLines: number
  added: CompareRow[]
  vanished: CompareRow[]
  changed: CompareRow[]
}

export interface CompareOptions {
  minCount?: number
  minRatio?: number
  minZ?: number
  smoothing?: number
}

export const defaultCompareOptions: Required<CompareOptions> = { minCount: 5, minRatio: 2, minZ: 3, smoothing: 0.5 }

export function compareTemplates(baseline: TemplateCounts, incident: TemplateCounts, options: CompareOptions = {}): TemplateComparison {
  const { minCount, minRatio, minZ, smoothing } = { ...defaultCompareOptions, ...options }
  const B = baseline.totalLines
  const I = incident.totalLines
  const inBaseline = new Map<number, TemplateCount>()
  for (const t of baseline.templates) if (t.count > 0) inBaseline.set(t.id, t)
  const inIncident = new Map<number, TemplateCount>()
  for (const t of incident.templates) if (t.count > 0) inIncident.set(t.id, t)

  const row = (kind: CompareKind, id: number, text: string, b: number, i: number, firstLine: number | null): CompareRow => ({
    kind,
    templateId: id,
    template: text,
    baselineCount: b,
    incidentCount: i,
    baselineRate: B > 0 ? b / B : 0,
    incidentRate: I > 0 ? i / I : 0,
    expected: B > 0 ? (b * I) / B : 0,
    ratio: kind === 'new' ? null : smoothedRatio(b, i, B, I, smoothing),
    firstLine
  })

  const added: CompareRow[] = []
  const changed: CompareRow[] = []
  for (const t of inIncident.values()) {
    const base = inBaseline.get(t.id)
    if (!base) {
      added.push(row('new', t.id, t.text, 0, t.count, t.firstLine ?? null))
      continue
    }
    const r = row('rate', t.id, base.text, base.count, t.count, t.firstLine ?? null)
    const ratio = r.ratio as number
    if (Math.max(base.count, t.count) < minCount) continue
    if (ratio < minRatio && ratio > 1 / minRatio) continue
    if (Math.abs(rateZ(base.count, t.count, B, I)) < minZ) continue
    changed.push(r)
  }
  const vanished: CompareRow[] = []
  for (const t of inBaseline.values()) {
    if (inIncident.has(t.id)) continue
    const r = row('vanished', t.id, t.text, t.count, 0, null)
    if (r.expected >= minCount) vanished.push(r)
  }

  added.sort((a, b) => b.incidentCount - a.incidentCount || (a.firstLine ?? 0) - (b.firstLine ?? 0) || a.templateId - b.templateId)
  vanished.sort((a, b) => b.expected - a.expected || a.templateId - b.templateId)
  changed.sort((a, b) => Math.abs(Math.log(b.ratio as number)) - Math.abs(Math.log(a.ratio as number)) || b.incidentCount - a.incidentCount || a.templateId - b.templateId)
  return { baselineLines: B, incidentLines: I, added, vanished, changed }
}

function smoothedRatio(b: number, i: number, B: number, I: number, smoothing: number): number {
  if (B <= 0 || I <= 0) return 1
  return (i + smoothing) / I / ((b + smoothing) / B)
}

/**
 * How surprising `i` incident lines are if the template's rate were the same on both sides:
 * given its b + i lines in all, each falls in the incident with probability I / (B + I).
 */
export function rateZ(b: number, i: number, B: number, I: number): number {
  const n = b + i
  const p = I / (B + I)
  const variance = n * p * (1 - p)
  return variance > 0 ? (i - n * p) / Math.sqrt(variance) : 0
}

/** `×12`, `×2.5`, `÷4`: a rate change as people say it. */
export function formatRatio(ratio: number | null): string {
  if (ratio === null) return 'new'
  if (ratio === 0) return 'gone'
  const up = ratio >= 1
  const n = up ? ratio : 1 / ratio
  return `${up ? '×' : '÷'}${n >= 10 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1).replace(/\.0$/, '')}`
}
