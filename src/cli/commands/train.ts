import cliProgress from 'cli-progress'
import type { Command } from 'commander'
import { formatShare } from '../../core/model/evidence.ts'
import { saveModel } from '../../core/model/model-file.ts'
import { trainModel } from '../../core/model/train.ts'

export interface TrainCommandOptions {
  out: string
  format?: string
  sessionKey?: string
}

/**
 * `faultline train <baseline...> --out model.json`: learn normal from known-good files. `onShare`
 * (a terminal's progress bar) hears how far it has got; `log` gets a line per file and stage.
 */
export async function runTrain(files: string[], options: TrainCommandOptions, log: (line: string) => void, onShare?: (share: number) => void): Promise<void> {
  const started = performance.now()
  const model = await trainModel(files, {
    ...(options.format !== undefined && { format: options.format }),
    ...(options.sessionKey !== undefined && { sessionKey: options.sessionKey }),
    onProgress: (stage, file, lines) => log(`${stage === 'mining' ? 'mined' : 'measured'} ${file}: ${lines.toLocaleString('en-US')} lines`),
    onShare
  })
  await saveModel(model, options.out)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  log(`model       ${options.out}`)
  log(`baseline    ${model.sources.map((s) => s.path).join(', ')} (${model.totalLines.toLocaleString('en-US')} records)`)
  log(`templates   ${model.templates.size}`)
  log(`sessions    ${model.sessionKey ? `by ${model.sessionKey.name}, ${[...model.sessionKinds.values()].find((k) => k.kind === '*')?.sessions ?? 0} sessions` : 'no session id found'}`)
  log(
    `sensitivity line threshold ${model.settings.lineThreshold}, session threshold ${model.settings.sessionThreshold}; ` +
      `flags ${formatShare(model.calibration.lineFalseAlarmRate)} of the baseline's own lines` +
      (model.calibration.sessionFalseAlarmRate === null ? '' : ` and ${formatShare(model.calibration.sessionFalseAlarmRate)} of its sessions`)
  )
  log(`took        ${seconds} s`)
}

export function registerTrainCommand(program: Command): void {
  program
    .command('train')
    .description('learn what normal looks like from one or more known-good log files')
    .argument('<baseline...>', 'known-good log files (plain or .gz)')
    .requiredOption('-o, --out <model.json>', 'where to write the model')
    .option('--format <string>', 'header layout instead of detection, e.g. "<Date> <Time> <Level> <Component>: <Content>"')
    .option('--session-key <regex>', 'regex whose first group (or match) identifies a session; detected when absent')
    .action(async (files: string[], options: TrainCommandOptions) => {
      const err = process.stderr
      if (err.isTTY !== true) return runTrain(files, options, (line) => err.write(`${line}\n`))
      // On a terminal, a bar; the per-file lines would break it, so they wait for the end.
      const bar = new cliProgress.SingleBar({ stream: err, format: ' {bar} {percentage}% | learning what normal looks like', hideCursor: true }, cliProgress.Presets.shades_classic)
      const lines: string[] = []
      bar.start(100, 0)
      try {
        await runTrain(files, options, (line) => lines.push(line), (share) => bar.update(Math.round(share * 100)))
      } finally {
        bar.stop()
        for (const line of lines) err.write(`${line}\n`)
      }
    })
}
