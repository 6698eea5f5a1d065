/**
 * `faultline tail <file>`: follows a log as it grows (across rotation, copytruncate and
 * re-creation) and prints alerts as they happen. Plain output groups alerts of one template
 * within a minute: the first is printed in full, repeats are summed up once a second. With
 * `--jsonl`, one object per alert on stdout {line, ts, score, template, reasons, text}. Status
 * (what the lines are judged against, rotations) goes to stderr. Ctrl-C stops cleanly. With
 * `--case`, the lines are also appended to that case (the file must be one of its sources).
 */
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { parseScore, wholeNumber } from './options.ts'
import type { Command } from 'commander'
import { CaseStore } from '../../core/case/case-store.ts'
import { loadModel } from '../../core/model/model-file.ts'
import { followIntoCase } from '../../core/tail/append-to-case.ts'
import { startTail } from '../../core/tail/tail-log.ts'
import type { ReferenceKind } from '../../core/tail/tail-log.ts'
import type { FollowChange } from '../../core/tail/follow-file.ts'
import type { LiveAlert } from '../../core/tail/live-scorer.ts'
import { AlertGroups } from '../../shared/alerts/alert-groups.ts'
import { BufferedOutput } from './buffered-output.ts'

export interface TailCommandOptions {
  model?: string
  case?: string
  jsonl?: boolean
  fromStart?: boolean
  format?: string
  threshold?: number
  warmup?: number
}

export interface TailOutput {
  readonly stdout: Writable
  readonly stderr: Writable
  readonly signal: AbortSignal
}

interface TimedAlert extends LiveAlert {
  readonly time: number
}

export async function runTail(file: string, options: TailCommandOptions, output: TailOutput): Promise<{ lines: number; alerts: number }> {
  if (options.case !== undefined) return runTailIntoCase(file, options, output)
  const model = options.model ? await loadModel(options.model) : null
  const status = statusWriter(output)
  const tail = await startTail(file, {
    model,
    from: options.fromStart ? 'start' : 'end',
    format: options.format,
    warmupLines: options.warmup,
    threshold: options.threshold,
    signal: output.signal,
    onChange: (change) => status(describeChange(file, change)),
    onTraining: (reference) => status(reference === 'warm-up' ? 'learning the warm-up lines…' : `learning what is normal from the lines already in ${file}…`)
  })
  status(`following ${file}: ${describeReference(tail.reference, options.model, options.warmup)}; Ctrl-C to stop`)
  const printer = new AlertPrinter(output.stdout, options.jsonl === true)
  let lines = 0
  let alerts = 0
  let layoutShown = false
  try {
    for await (const batch of tail.batches) {
      lines += batch.lines.length
      alerts += batch.alerts.length
      if (!layoutShown && tail.layout() !== null) {
        layoutShown = true
        status(`layout ${tail.layout() ?? ''}`)
      }
      if (batch.alerts.length > 0) await printer.print(batch.alerts)
      if (printer.closed) break
    }
  } finally {
    tail.close()
    await printer.close()
  }
  status(`stopped: ${lines.toLocaleString('en-US')} lines scored, ${alerts.toLocaleString('en-US')} alerts`)
  return { lines, alerts }
}

/**
 * `--case`: the file is a source of that case; what it gains is appended to the case (scored
 * with the case's model, see append-to-case.ts), so the app viewing the case sees it arrive.
 */
async function runTailIntoCase(file: string, options: TailCommandOptions, output: TailOutput): Promise<{ lines: number; alerts: number }> {
  if (options.model !== undefined) throw new Error('--case scores with the model the case records; leave out --model')
  const casePath = resolve(options.case as string)
  if (!existsSync(casePath)) throw new Error(`cannot read case ${casePath}`)
  const store = CaseStore.open(casePath)
  const source = store.sources().find((s) => s.path === resolve(file))
  const model = store.activeModel()
  store.close()
  if (!source) throw new Error(`${casePath} has no source ${resolve(file)}; add it first with \`faultline open ${file} --case ${options.case as string}\``)
  const status = statusWriter(output)
  const printer = new AlertPrinter(output.stdout, options.jsonl === true)
  // Stop on Ctrl-C, or when the reader of our output goes away.
  const stop = new AbortController()
  output.signal.addEventListener('abort', () => stop.abort(), { once: true })
  let alerts = 0
  status(`following ${file} into ${casePath} (source ${source.id}, ${source.lines.toLocaleString('en-US')} lines so far; ${model ? `scored with ${model.name}` : 'not scored: the case has no model'}); Ctrl-C to stop`)
  try {
    const { linesAdded } = await followIntoCase(casePath, source.id, {
      signal: stop.signal,
      onChange: (change) => status(describeChange(file, change)),
      onAlerts: (found) => {
        alerts += found.length
        void printer.print(found).then(() => printer.closed && stop.abort())
      }
    })
    status(`stopped: ${linesAdded.toLocaleString('en-US')} lines added to the case, ${alerts.toLocaleString('en-US')} alerts`)
    return { lines: linesAdded, alerts }
  } finally {
    await printer.close()
  }
}

function statusWriter(output: TailOutput): (text: string) => void {
  return (text) => void output.stderr.write(`${text}\n`)
}

/** Prints alerts as they come: grouped and readable, or one JSON object each. */
class AlertPrinter {
  readonly #out: BufferedOutput
  readonly #plain: PlainAlerts | null
  readonly #ticker: ReturnType<typeof setInterval> | null

  constructor(stdout: Writable, jsonl: boolean) {
    this.#out = new BufferedOutput(stdout)
    const plain = jsonl ? null : new PlainAlerts(this.#out)
    this.#plain = plain
    this.#ticker = plain && setInterval(() => void plain.summarise().then(() => this.#out.flush()), 1_000)
  }

  get closed(): boolean {
    return this.#out.closed
  }

  /** Prints and flushes at once: alerts are wanted now, not when a buffer fills. */
  async print(alerts: readonly LiveAlert[]): Promise<void> {
    for (const alert of alerts) {
      if (this.#plain) this.#plain.add(alert)
      else this.#out.write(`${JSON.stringify({ line: alert.lineNo, ts: alert.ts === null ? null : new Date(alert.ts).toISOString(), score: round(alert.score), template: alert.template, reasons: alert.reasons, text: alert.text })}\n`)
    }
    await this.#out.flush()
  }

  async close(): Promise<void> {
    if (this.#ticker) clearInterval(this.#ticker)
    await this.#plain?.summarise()
    await this.#out.flush()
  }
}

/** Readable alerts: a group's first alert in full, its repeats summed up later. */
class PlainAlerts {
  readonly #out: BufferedOutput
  readonly #groups = new AlertGroups<TimedAlert>({ maxGroups: 2_000 })
  /** Group id → count already printed. */
  readonly #printed = new Map<number, number>()

  constructor(out: BufferedOutput) {
    this.#out = out
  }

  add(alert: LiveAlert): void {
    const group = this.#groups.add({ ...alert, time: alert.ts ?? Date.now() })
    if (group.count > 1) return
    this.#printed.set(group.id, 1)
    const time = alert.ts === null ? '--:--:--.---' : new Date(alert.ts).toISOString().slice(11, 23)
    this.#out.write(`${time}  ${alert.score.toFixed(2)}  line ${alert.lineNo}  ${alert.template}\n`)
    for (const reason of alert.reasons.slice(0, 3)) this.#out.write(`      - ${reason}\n`)
  }

  /** One line per group that grew since it was last printed. */
  async summarise(): Promise<void> {
    for (const group of this.#groups.list(200)) {
      const printed = this.#printed.get(group.id)
      if (printed === undefined || printed === group.count) continue
      this.#printed.set(group.id, group.count)
      this.#out.write(`      ×${group.count} in this minute (lines ${group.first.lineNo}–${group.last.lineNo}, max ${group.maxScore.toFixed(2)}): ${group.first.template}\n`)
    }
    // Forget printed counts of groups no longer listed (bounded memory).
    if (this.#printed.size > 4_000) {
      const live = new Set(this.#groups.list().map((g) => g.id))
      for (const id of this.#printed.keys()) if (!live.has(id)) this.#printed.delete(id)
    }
  }
}

function describeReference(reference: ReferenceKind, model: string | undefined, warmup: number | undefined): string {
  switch (reference) {
    case 'model':
      return `scoring new lines with ${model ?? 'the model'}`
    case 'existing-lines':
      return 'no --model: the lines already in the file are the reference, new lines are scored against them'
    case 'warm-up':
      return `no --model and a short file: learning the first ${(warmup ?? 2_000).toLocaleString('en-US')} lines, scoring the ones after`
  }
}

function describeChange(file: string, change: FollowChange): string {
  switch (change.kind) {
    case 'rotated':
      return `${file} was rotated or re-created: finished the old file, reading the new one from its start (line ${change.nextLine})`
    case 'truncated':
      return `${file} was truncated: reading it again from its start (line ${change.nextLine})${change.recoveredFrom ? `; lines written just before were read from ${change.recoveredFrom}` : ''}`
    case 'missing':
      return `${file} is gone: waiting for it to appear`
    case 'appeared':
      return `${file} appeared: reading it from its start`
  }
}

function round(score: number): number {
  return Math.round(score * 10_000) / 10_000
}

const parseLines = wholeNumber(1, Number.POSITIVE_INFINITY, 'expected a whole number of lines, at least 1')

export function registerTailCommand(program: Command): void {
  program
    .command('tail')
    .description('follow a growing log (rotation, truncation and re-creation included) and print alerts as they happen')
    .argument('<file>', 'log file (plain text)')
    .option('-m, --model <model.json>', 'model from `faultline train`; without it the lines already in the file are the reference')
    .option('--jsonl', 'one JSON object per alert {line, ts, score, template, reasons, text}')
    .option('--from-start', 'score the lines already in the file too (without --model they are also the reference)')
    .option('--case <case.faultline>', 'append what the file gains to this case (the file must be one of its sources), scored with its model')
    .option('--format <string>', 'header layout instead of detection')
    .option('--threshold <score>', "flag lines scoring at least this (0–1; the model's default is 0.5)", parseScore)
    .option('--warmup <lines>', 'without --model: lines the reference needs (default 2000)', parseLines)
    .action(async (file: string, options: TailCommandOptions) => {
      const controller = new AbortController()
      const stop = (): void => controller.abort()
      process.once('SIGINT', stop)
      process.once('SIGTERM', stop)
      try {
        await runTail(file, options, { stdout: process.stdout, stderr: process.stderr, signal: controller.signal })
      } finally {
        process.off('SIGINT', stop)
        process.off('SIGTERM', stop)
      }
    })
}
