import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, readSync, renameSync, rmSync } from 'node:fs'
import { once } from 'node:events'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { InvalidArgumentError } from 'commander'
import type { Command } from 'commander'
import { wholeNumber } from './options.ts'
import { caseExtension } from '../../core/case/case-file.ts'
import { CaseStore } from '../../core/case/case-store.ts'
import { defaultContext, exportCase, exportFormats } from '../../core/export/export-case.ts'
import type { ExportFormat, ExportSink, ExportStats } from '../../core/export/export-case.ts'
import { saveModel } from '../../core/model/model-file.ts'
import { trainModel } from '../../core/model/train.ts'
import { BufferedOutput } from './buffered-output.ts'
import { runOpen } from './open.ts'

export interface ExportCommandOptions {
  format: ExportFormat
  context?: number
  out?: string
  redact?: boolean
  model?: string
  source?: number
}

export interface ExportOutput {
  /** Where the export goes without --out. */
  readonly stdout: Writable
  /** Progress and the summary: never mixed into the export. */
  readonly stderr: Writable
  /** Called with a function that cancels the ingest of a log (the command wires it to Ctrl-C). */
  readonly onCancel?: ((cancel: () => void) => void) | undefined
}

/**
 * `faultline export <case-or-log>`: the flagged and bookmarked lines with context as CSV, JSON
 * Lines or a Markdown postmortem. A case is read as it is; a log is first ingested into a
 * temporary case like `faultline open` does, scored with --model, or else against a model
 * trained on the file itself (and the summary says so).
 */
export async function runExport(input: string, options: ExportCommandOptions, output: ExportOutput): Promise<ExportStats> {
  const log = (line: string): void => void output.stderr.write(`${line}\n`)
  if (!existsSync(input)) throw new Error(`cannot read ${input}`)
  const isCase = isCaseFile(input)
  if (isCase && options.model !== undefined) throw new Error('--model is for a log file; a case keeps the scores it was ingested with')
  const temporary = isCase ? null : mkdtempSync(join(tmpdir(), 'faultline-export-'))
  try {
    const casePath = temporary ? await ingestForExport(input, temporary, options.model, output, log) : input
    const store = CaseStore.open(casePath)
    try {
      const sourceId = pickSource(store, options.source)
      const started = performance.now()
      const cpu = process.cpuUsage()
      const target = options.out === undefined ? null : resolve(options.out)
      const stats = target ? await toFile(target, (sink) => exportCase(store, sourceId, exportOptions(options), sink)) : await toStream(output.stdout, (sink) => exportCase(store, sourceId, exportOptions(options), sink))
      const used = process.cpuUsage(cpu)
      log(
        `exported   ${stats.records.toLocaleString('en-US')} lines (${stats.flagged.toLocaleString('en-US')} flagged, ${stats.bookmarked.toLocaleString('en-US')} bookmarked, ` +
          `±${options.context ?? defaultContext} lines of context) as ${options.format}${target ? ` to ${target}` : ''}`
      )
      if (stats.redacted) log(`redacted   ${Object.entries(stats.redacted).map(([kind, n]) => `${n.toLocaleString('en-US')} ${kind}`).join(', ')} (distinct values)`)
      log(`took       ${((performance.now() - started) / 1_000).toFixed(1)} s (${((used.user + used.system) / 1e6).toFixed(1)} s CPU)`)
      return stats
    } finally {
      store.close()
    }
  } finally {
    if (temporary) rmSync(temporary, { recursive: true, force: true })
  }
}

function exportOptions(options: ExportCommandOptions): { format: ExportFormat; context: number | undefined; redact: boolean } {
  return { format: options.format, context: options.context, redact: options.redact === true }
}

/** A case by its name or, renamed, by its content: a SQLite database is never a log to ingest. */
function isCaseFile(path: string): boolean {
  if (path.endsWith(caseExtension)) return true
  const head = Buffer.alloc(16)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, head, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  return head.toString('latin1') === 'SQLite format 3\u0000'
}

async function ingestForExport(file: string, dir: string, model: string | undefined, output: ExportOutput, log: (line: string) => void): Promise<string> {
  let modelPath = model
  if (modelPath === undefined) {
    log(`no --model given: training on ${file} itself, so lines are flagged for being unusual within this file, not against a known-good baseline`)
    modelPath = join(dir, 'self.model.json')
    await saveModel(await trainModel([file], { mode: 'self' }), modelPath)
  }
  const casePath = join(dir, `export${caseExtension}`)
  const summary = await runOpen(file, { case: casePath, model: modelPath }, { stdout: output.stderr, onCancel: output.onCancel })
  if (summary.state !== 'complete') throw new Error(`the ingest of ${file} was cancelled; nothing exported`)
  return casePath
}

function pickSource(store: CaseStore, wanted: number | undefined): number {
  const sources = store.sources()
  if (wanted !== undefined) {
    if (!sources.some((s) => s.id === wanted)) throw new Error(`${store.path} has no source ${wanted} (it has ${sources.map((s) => `${s.id}: ${s.name}`).join(', ')})`)
    return wanted
  }
  const [first, ...others] = sources
  if (!first) throw new Error(`${store.path} holds no log yet`)
  if (others.length > 0) throw new Error(`${store.path} holds ${sources.length} logs; choose one with --source (${sources.map((s) => `${s.id}: ${s.name}`).join(', ')})`)
  return first.id
}

/** Writes beside the target and renames, so a failed export never leaves half a file under its name. */
async function toFile<T>(path: string, write: (sink: ExportSink) => Promise<T>): Promise<T> {
  const partial = `${path}.${process.pid}.partial`
  const stream = createWriteStream(partial)
  try {
    const result = await write(async (chunk) => {
      if (!stream.write(chunk)) await once(stream, 'drain')
    })
    stream.end()
    await once(stream, 'close')
    renameSync(partial, path)
    return result
  } catch (error) {
    stream.destroy()
    rmSync(partial, { force: true })
    throw error
  }
}

async function toStream<T>(stdout: Writable, write: (sink: ExportSink) => Promise<T>): Promise<T> {
  const out = new BufferedOutput(stdout)
  return write(async (chunk) => {
    out.write(chunk)
    await out.flush()
  })
}

function parseFormat(value: string): ExportFormat {
  if (!(exportFormats as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected one of ${exportFormats.join(', ')}`)
  return value as ExportFormat
}

const parseCount = wholeNumber(0, 10_000, 'expected a whole number of lines from 0 to 10000')
const parseSource = wholeNumber(1, Number.POSITIVE_INFINITY, 'expected a source id (1, 2, …)')

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('export flagged and bookmarked lines with context: CSV, JSON Lines or a Markdown postmortem report')
    .argument('<case-or-log>', `a case (${caseExtension}) as it is, or a log file to ingest and score first`)
    .requiredOption('--format <format>', `${exportFormats.join(' | ')}`, parseFormat)
    .option('--context <lines>', `lines of context before and after each flagged or bookmarked line (default ${defaultContext})`, parseCount)
    .option('--out <file>', 'write here instead of to stdout')
    .option('--redact', 'replace addresses, emails, host and user names, tokens, keys and ids with consistent placeholders')
    .option('--model <path>', 'for a log file: the model (.json) to score it with; without one the file is scored against itself')
    .option('--source <id>', 'for a case holding several logs: which one', parseSource)
    .action(async (input: string, options: ExportCommandOptions) => {
      await runExport(input, options, { stdout: process.stdout, stderr: process.stderr, onCancel: (cancel) => process.once('SIGINT', cancel) })
    })
}
