import type { Writable } from 'node:stream'
import type { Command } from 'commander'
import { loadModel } from '../../core/model/model-file.ts'
import { scanFile } from '../../core/model/scan.ts'
import type { ScanResult } from '../../core/model/scan.ts'
import { BufferedOutput } from './buffered-output.ts'
import { parseScore } from './options.ts'

export interface ScanCommandOptions {
  model?: string
  threshold?: number
  jsonl?: boolean
  sessionKey?: string
  format?: string
}

/**
 * `faultline scan <file>`: score every line and session. With `--jsonl`, one object per input
 * line (continuation lines carry their record's score) and then one per session.
 */
export async function runScan(file: string, options: ScanCommandOptions, stdout: Writable): Promise<void> {
  const model = options.model ? await loadModel(options.model) : null
  const out = new BufferedOutput(stdout)
  const flagged: { line: number; score: number; reasons: readonly string[]; template: string }[] = []
  const result = await scanFile(file, model, {
    ...(options.sessionKey !== undefined && { sessionKey: options.sessionKey }),
    ...(options.format !== undefined && { format: options.format }),
    ...(options.threshold !== undefined && { settings: { lineThreshold: options.threshold, sessionThreshold: options.threshold } }),
    onBatch: async (lines) => {
      for (const l of lines) {
        if (options.jsonl) {
          const templateId = String(l.templateId)
          for (let i = 0; i < l.span; i++) {
            out.write(`${JSON.stringify({ line: l.line + i, score: round(l.score), anomaly: l.anomaly, templateId, reasons: l.reasons })}\n`)
          }
        } else if (l.anomaly) flagged.push({ line: l.line, score: l.score, reasons: l.reasons, template: l.template })
      }
      await out.maybeFlush()
    }
  })
  if (options.jsonl) {
    for (const s of result.sessions) {
      out.write(`${JSON.stringify({ session: s.id, score: round(s.score), anomaly: s.anomaly, reasons: s.reasons, firstLine: s.firstLine, lastLine: s.lastLine, lines: s.lines })}\n`)
    }
  } else writeSummary(out, file, result, flagged)
  await out.flush()
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000
}

function writeSummary(out: BufferedOutput, file: string, result: ScanResult, flagged: { line: number; score: number; reasons: readonly string[]; template: string }[]): void {
  const sessions = result.sessions.filter((s) => s.anomaly).sort((a, b) => b.score - a.score)
  const model = result.model
  out.write(`file        ${file}\n`)
  out.write(`format      ${result.format}\n`)
  out.write(`model       ${model.mode === 'self' ? 'self-trained on this file (no baseline given)' : `baseline ${model.sources.map((s) => s.path).join(', ')}`}\n`)
  out.write(`lines       ${result.lines.toLocaleString('en-US')} (${result.records.toLocaleString('en-US')} records)\n`)
  out.write(`flagged     ${flagged.length.toLocaleString('en-US')} records, ${sessions.length.toLocaleString('en-US')} of ${result.sessions.length.toLocaleString('en-US')} sessions\n`)

  // Group flagged lines by template so a flood of one failure reads as one finding.
  const byTemplate = new Map<string, { count: number; first: (typeof flagged)[number] }>()
  for (const line of flagged) {
    const entry = byTemplate.get(line.template)
    if (entry) entry.count++
    else byTemplate.set(line.template, { count: 1, first: line })
  }
  const groups = [...byTemplate.values()].sort((a, b) => b.first.score - a.first.score || b.count - a.count)
  if (groups.length > 0) out.write(`\ntop anomalous lines (by template)\n`)
  for (const { count, first } of groups.slice(0, 15)) {
    out.write(`  ${first.score.toFixed(2)}  line ${first.line}${count > 1 ? ` (+${count - 1} more like it)` : ''}: ${first.template}\n`)
    for (const reason of first.reasons.slice(0, 3)) out.write(`        - ${reason}\n`)
  }
  if (sessions.length > 0) out.write(`\ntop anomalous sessions\n`)
  for (const s of sessions.slice(0, 10)) {
    out.write(`  ${s.score.toFixed(2)}  ${s.id} (lines ${s.firstLine}–${s.lastLine}, ${s.lines} lines)\n`)
    for (const reason of s.reasons.slice(0, 3)) out.write(`        - ${reason}\n`)
  }
}

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('score every line and session of a log for structural anomaly')
    .argument('<file>', 'log file (plain or .gz)')
    .option('-m, --model <model.json>', 'model from `faultline train`; without it the file is self-trained')
    .option('--jsonl', 'one JSON object per line {line, score, anomaly, templateId, reasons}, then one per session')
    .option('--session-key <regex>', "regex whose first group (or match) identifies a session; overrides the model's")
    .option('--threshold <score>', "flag lines and sessions scoring at least this (0–1; the model's default is 0.5)", parseScore)
    .option('--format <string>', 'header layout instead of detection')
    .action((file: string, options: ScanCommandOptions) => runScan(file, options, process.stdout))
}
