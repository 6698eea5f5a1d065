import { existsSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { caseExtension } from '../../core/case/case-file.ts'
import { CaseStore } from '../../core/case/case-store.ts'
import { startIngest } from '../../core/ingest/index.ts'
import { freshBuiltWorkers, pickIngestWorkers } from '../built-workers.ts'
import { takeEarlyThreads } from '../early-threads.ts'
import type { IngestProgress, IngestRequest, IngestSummary, ScorerSpec } from '../../core/ingest/index.ts'

export interface OpenCommandOptions {
  readonly case?: string
  readonly model?: string
  /** Read the file as text even though it does not look like text. */
  readonly anyway?: boolean
}

export interface OpenOutput {
  readonly stdout: Writable & { isTTY?: boolean }
  /** Called once with a cancel function; the command wires it to Ctrl-C. */
  readonly onCancel?: (cancel: () => void) => void
}

/** `app.log.gz` → `app.faultline`, in the current folder. */
export function defaultCasePath(file: string): string {
  const name = basename(file).replace(/(\.(gz|zst))$/i, '').replace(/\.(log|txt|out)$/i, '')
  return resolve(`${name || 'case'}${caseExtension}`)
}

/**
 * What `open` does with the case: a new case for the file, a new source in an existing case, or
 * a resume when the case already holds this file unfinished (Ctrl-C, a crash).
 */
function planIngest(file: string, casePath: string, scorer: ScorerSpec | undefined): IngestRequest {
  const sourcePath = resolve(file)
  if (!existsSync(casePath)) return { casePath, sourcePath, scorer }
  const store = CaseStore.open(casePath)
  try {
    const existing = store.sources().find((s) => s.path === sourcePath)
    if (!existing) return { casePath, sourcePath, scorer }
    if (existing.state === 'complete') throw new Error(`${casePath} already holds ${sourcePath}; open the case, or pass --case to make a new one`)
    return { casePath, resumeSourceId: existing.id, scorer }
  } finally {
    store.close()
  }
}

export async function runOpen(file: string, options: OpenCommandOptions, output: OpenOutput): Promise<IngestSummary> {
  if (!existsSync(file)) throw new Error(`cannot read ${file}`)
  if (options.model !== undefined && !existsSync(options.model)) throw new Error(`cannot read model ${options.model}`)
  const scorer: ScorerSpec | undefined = options.model === undefined ? undefined : { kind: 'model', path: resolve(options.model) }
  const casePath = resolve(options.case ?? defaultCasePath(file))
  const request = { ...planIngest(file, casePath, scorer), anyway: options.anyway }
  const out = output.stdout
  const progress = out.isTTY === true ? barProgress(out) : lineProgress(out)
  const started = performance.now()
  if (request.resumeSourceId !== undefined) out.write(`resuming ${file} in ${casePath}\n`)
  // The build's workers when it is fresh (they start sooner), else the TypeScript entries; on
  // threads started with the CLI when it did (see early-threads.ts).
  const workers = await freshBuiltWorkers()
  const threads = await takeEarlyThreads()
  const job = startIngest(request, { onProgress: progress.update, ...pickIngestWorkers(workers), threads })
  output.onCancel?.(() => job.cancel())
  let summary: IngestSummary
  try {
    summary = await job.done
  } finally {
    progress.stop()
  }
  writeSummary(out, file, casePath, summary, performance.now() - started)
  return summary
}

interface ProgressView {
  update: (progress: IngestProgress) => void
  stop: () => void
}

function barProgress(out: Writable): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream: out as NodeJS.WritableStream,
      format: ' {bar} {percentage}% | {lines} lines | {rate} lines/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 20
    },
    cliProgress.Presets.shades_classic
  )
  let startedBar = false
  return {
    update: (p) => {
      const total = p.totalBytes ?? Math.max(p.bytes, 1)
      const payload = { lines: p.lines.toLocaleString('en-US'), rate: p.linesPerSecond.toLocaleString('en-US') }
      if (!startedBar) {
        bar.start(total, p.bytes, payload)
        startedBar = true
      } else {
        bar.setTotal(total)
        bar.update(p.bytes, payload)
      }
    },
    stop: () => {
      if (startedBar) bar.stop()
    }
  }
}

/** Not a terminal (a pipe, CI): a plain line now and then instead of a redrawn bar. */
function lineProgress(out: Writable): ProgressView {
  let last = Number.NEGATIVE_INFINITY
  return {
    update: (p) => {
      if (p.elapsedMs - last < 1_000 && p.phase === 'ingesting') return
      last = p.elapsedMs
      const share = p.totalBytes ? ` (${((100 * p.bytes) / Math.max(p.totalBytes, 1)).toFixed(0)}%)` : ''
      const eta = p.etaSeconds === null ? '' : `, ETA ${p.etaSeconds.toFixed(0)} s`
      out.write(`${p.phase}: ${p.lines.toLocaleString('en-US')} lines${share}, ${p.linesPerSecond.toLocaleString('en-US')} lines/s${eta}\n`)
    },
    stop: () => {}
  }
}

function describeSessions(sessions: IngestSummary['sessions']): string {
  if (sessions.kind === null) return 'none (no session id and no timestamps)'
  const what = sessions.kind === 'session' ? `sessions by ${sessions.key ?? 'id'}` : 'time windows (no session id in the lines)'
  return `${sessions.count.toLocaleString('en-US')} ${what}, ${sessions.flagged.toLocaleString('en-US')} flagged`
}

function writeSummary(out: Writable, file: string, casePath: string, s: IngestSummary, ms: number): void {
  const rows: [string, string][] = [
    ['file', file],
    ['case', casePath],
    ['state', s.state === 'complete' ? 'complete' : s.state === 'partial' ? `partial: ${s.error ?? 'the input ended early'}` : 'cancelled (run the same command again to resume)'],
    ['format', s.format],
    ['encoding', s.compression === 'none' ? s.encoding : `${s.encoding} (${s.compression})`],
    ['lines', s.lines.toLocaleString('en-US') + (s.resumedAt > 0 ? ` (${s.resumedAt.toLocaleString('en-US')} from an earlier run)` : '')],
    ['templates', s.templates.toLocaleString('en-US')],
    ['model', s.model ?? 'none'],
    ['flagged', s.scored ? `${s.flagged.toLocaleString('en-US')} lines` : 'not scored (no --model)'],
    ['sessions', describeSessions(s.sessions)],
    ['time', `${(ms / 1_000).toFixed(1)} s (${Math.round((s.linesAdded / Math.max(ms, 1)) * 1_000).toLocaleString('en-US')} lines/s)`]
  ]
  for (const [key, value] of rows) out.write(`${key.padEnd(11)} ${value}\n`)
  if (s.topReasons.length > 0) {
    out.write('top reasons\n')
    for (const r of s.topReasons) out.write(`  ${String(r.count).padStart(8)}  ${r.reason}\n`)
  }
}

export function registerOpenCommand(program: Command): void {
  program
    .command('open')
    .description('ingest a log file into a case: detect the format, mine templates, score lines')
    .argument('<file>', 'log file (plain, .gz or .zst; UTF-8 or UTF-16)')
    .option('--case <path>', `case file to create or add to (default: <file name>${caseExtension} here)`)
    .option('--model <path>', 'anomaly model (.json) to score lines with; without one, lines are stored unscored')
    .option('--anyway', 'read the file as text even if it does not look like a text log')
    .action(async (file: string, options: OpenCommandOptions) => {
      const summary = await runOpen(file, options, {
        stdout: process.stdout,
        onCancel: (cancel) => process.once('SIGINT', cancel)
      })
      if (summary.state === 'cancelled') process.exitCode = 130
    })
}
