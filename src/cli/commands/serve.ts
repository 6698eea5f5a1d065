import type { Command } from 'commander'
import { loadModel } from '../../core/model/model-file.ts'
import type { Model } from '../../core/model/model.ts'
import { trainModel } from '../../core/model/train.ts'
import { RawLineScorer, resolveModelFormat } from '../../core/score-service/index.ts'
import { defaultMaxBatchLines, defaultMaxBodyBytes, startScoreServer } from '../serve/score-server.ts'
import type { ScoreServer } from '../serve/score-server.ts'
import { parsePort, parsePositiveInteger, parseScore } from './options.ts'

export interface ServeCommandOptions {
  port: number
  model?: string
  /** Train a model from these known-good files at start-up instead of loading one. */
  baseline?: string[]
  format?: string
  threshold?: number
  maxBody: number
  maxBatch: number
}

/**
 * `faultline serve`: the scoring service on 127.0.0.1 (see `serve/score-server.ts`). It needs a
 * model: a file from `faultline train`, or baseline files to train one at start-up. There is no
 * self-training here, since a service judging lines one at a time has no file to learn from.
 */
export async function runServe(options: ServeCommandOptions, log: (line: string) => void): Promise<ScoreServer> {
  let model: Model
  if (options.model !== undefined) {
    if (options.baseline !== undefined) throw new Error('give either --model or --baseline, not both')
    model = await loadModel(options.model)
  } else if (options.baseline !== undefined) {
    log(`training on ${options.baseline.join(', ')}…`)
    model = await trainModel(options.baseline, { ...(options.format !== undefined && { format: options.format }) })
  } else {
    throw new Error('serve needs a model: --model model.json (from `faultline train`), or --baseline <files...> to train one at start-up')
  }
  if (options.threshold !== undefined) model.settings = { ...model.settings, lineThreshold: options.threshold }
  const scorer = new RawLineScorer(model, await resolveModelFormat(model, options.format))
  const server = await startScoreServer({
    model,
    scorer,
    modelPath: options.model ?? null,
    port: options.port,
    maxBodyBytes: options.maxBody,
    maxBatchLines: options.maxBatch
  })
  log(`model       ${options.model ?? `trained on ${model.sources.map((s) => s.path).join(', ')}`} (${model.templates.size} templates, line threshold ${model.settings.lineThreshold})`)
  log(`format      ${scorer.format}`)
  return server
}

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('score log lines over HTTP on 127.0.0.1: POST /score-log, POST /score-logs, GET /health, GET /model')
    .option('-p, --port <port>', 'port to listen on (0 picks a free one)', parsePort, 8000)
    .option('-m, --model <model.json>', 'model from `faultline train`')
    .option('--baseline <files...>', 'known-good log files to train a model from at start-up (instead of --model)')
    .option('--format <string>', "header layout of the lines; detected from the model's baseline files when absent")
    .option('--threshold <score>', "flag lines scoring at least this (0–1; the model's default is 0.5)", parseScore)
    .option('--max-body <bytes>', 'largest request body accepted', parsePositiveInteger, defaultMaxBodyBytes)
    .option('--max-batch <lines>', 'most lines per /score-logs request', parsePositiveInteger, defaultMaxBatchLines)
    .action(async (options: ServeCommandOptions) => {
      const log = (line: string): void => void process.stderr.write(`${line}\n`)
      const server = await runServe(options, log)
      process.stdout.write(`Faultline scoring service listening on ${server.origin}\n`)
      const stop = async (): Promise<void> => {
        log('shutting down: finishing requests in flight…')
        await server.close()
        process.exit(0)
      }
      process.once('SIGINT', () => void stop())
      process.once('SIGTERM', () => void stop())
    })
}
