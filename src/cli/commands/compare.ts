import type { Writable } from 'node:stream'
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import { baselineCounts, countIncidentTemplates } from '../../core/compare/index.ts'
import { loadModel } from '../../core/model/model-file.ts'
import type { Model } from '../../core/model/model.ts'
import { trainModel } from '../../core/model/train.ts'
import { compareTemplates, formatRatio } from '../../shared/compare/index.ts'
import type { CompareRow, TemplateComparison } from '../../shared/compare/index.ts'
import { BufferedOutput } from './buffered-output.ts'
import { parsePositiveInteger } from './options.ts'

export interface CompareCommandOptions {
  model?: string
  format?: string
  jsonl?: boolean
  minCount?: number
  minRatio?: number
  limit: number
}

/**
 * `faultline compare <baseline...> <incident>` (or `--model m.json <incident>`): templates new
 * in the incident, vanished from it, and whose rate changed. With `--jsonl`, one object per row.
 */
export async function runCompare(files: string[], options: CompareCommandOptions, stdout: Writable): Promise<void> {
  const incident = files.at(-1)
  const baselines = files.slice(0, -1)
  if (incident === undefined) throw new Error('compare needs the incident log')
  let model: Model
  if (options.model !== undefined) {
    if (baselines.length > 0) throw new Error('with --model, give only the incident log')
    model = await loadModel(options.model)
  } else if (baselines.length > 0) {
    model = await trainModel(baselines, { ...(options.format !== undefined && { format: options.format }) })
  } else {
    throw new Error('compare needs a baseline: faultline compare <baseline...> <incident>, or --model model.json <incident>')
  }
  const counts = await countIncidentTemplates(incident, model, { format: options.format })
  const comparison = compareTemplates(baselineCounts(model), counts, {
    ...(options.minCount !== undefined && { minCount: options.minCount }),
    ...(options.minRatio !== undefined && { minRatio: options.minRatio })
  })
  const out = new BufferedOutput(stdout)
  if (options.jsonl) {
    for (const row of [...comparison.added, ...comparison.vanished, ...comparison.changed]) out.write(`${JSON.stringify(row)}\n`)
  } else {
    out.write(`baseline    ${options.model ?? model.sources.map((s) => s.path).join(', ')} (${count(comparison.baselineLines)} lines)\n`)
    out.write(`incident    ${incident} (${count(comparison.incidentLines)} lines, ${counts.format})\n`)
    writeTable(out, comparison, options.limit)
  }
  await out.flush()
}

function writeTable(out: BufferedOutput, comparison: TemplateComparison, limit: number): void {
  const section = (title: string, rows: CompareRow[], head: string, cells: (row: CompareRow) => string): void => {
    out.write(`\n${title} (${rows.length === 0 ? 'none' : count(rows.length)})\n`)
    if (rows.length === 0) return
    out.write(`  ${head}  template\n`)
    for (const row of rows.slice(0, limit)) out.write(`  ${cells(row)}  ${row.template}\n`)
    if (rows.length > limit) out.write(`  … ${count(rows.length - limit)} more (--limit, or --jsonl for all)\n`)
  }
  section('new in the incident', comparison.added, `${'lines'.padStart(9)}  ${'first line'.padStart(10)}`, (r) => `${count(r.incidentCount).padStart(9)}  ${count(r.firstLine ?? 0).padStart(10)}`)
  section('vanished', comparison.vanished, `${'baseline'.padStart(9)}  ${'expected'.padStart(10)}`, (r) => `${count(r.baselineCount).padStart(9)}  ${count(Math.round(r.expected)).padStart(10)}`)
  section(
    'rate changed (per line of each log)',
    comparison.changed,
    `${'change'.padStart(7)}  ${'baseline'.padStart(9)} → ${'incident'.padEnd(9)}  ${'first line'.padStart(10)}`,
    (r) => `${formatRatio(r.ratio).padStart(7)}  ${count(r.baselineCount).padStart(9)} → ${count(r.incidentCount).padEnd(9)}  ${count(r.firstLine ?? 0).padStart(10)}`
  )
}

function count(n: number): string {
  return n.toLocaleString('en-US')
}

function parseRatio(value: string): number {
  const ratio = Number(value)
  if (!(ratio > 1)) throw new InvalidArgumentError('expected a ratio above 1, e.g. 2 for "at least twice or half as often"')
  return ratio
}

export function registerCompareCommand(program: Command): void {
  program
    .command('compare')
    .description('compare an incident with a baseline: templates new, vanished, and whose rate changed')
    .argument('<files...>', 'baseline log files then the incident log (the last one); with --model, only the incident')
    .option('-m, --model <model.json>', 'baseline model from `faultline train` instead of baseline files')
    .option('--format <string>', 'header layout instead of detection')
    .option('--jsonl', 'one JSON object per row {kind, templateId, template, baselineCount, incidentCount, baselineRate, incidentRate, expected, ratio, firstLine}')
    .option('--min-count <lines>', 'fewest lines on one side for a rate change, and expected lines for a vanished template (default 5)', parsePositiveInteger)
    .option('--min-ratio <ratio>', 'smallest rate change reported, either way (default 2)', parseRatio)
    .option('--limit <rows>', 'rows shown per section in the table', parsePositiveInteger, 20)
    .action((files: string[], options: CompareCommandOptions) => runCompare(files, options, process.stdout))
}
