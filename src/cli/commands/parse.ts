import { access } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import type { Command } from 'commander'
import { parseFile, replayParsed } from '../../core/parse/index.ts'
import type { ParseResult } from '../../core/parse/index.ts'
import { BufferedOutput } from './buffered-output.ts'

export interface ParseCommandOptions {
  readonly jsonl?: boolean
  readonly format?: string
}

/** `faultline parse <file>`: a template summary, or with `--jsonl` one object per input line. */
export async function runParse(file: string, options: ParseCommandOptions, stdout: Writable): Promise<void> {
  await access(file).catch(() => {
    throw new Error(`cannot read ${file}`)
  })
  const out = new BufferedOutput(stdout)
  const stop = new AbortController()
  const streamOptions = { format: options.format, signal: stop.signal }
  const result = await parseFile(file, streamOptions)
  if (options.jsonl === true) {
    // Mining needs the whole file before ids are final, so lines are written on a second read.
    await replayParsed(file, result, streamOptions, async (lines) => {
      for (const l of lines) {
        out.write(
          JSON.stringify({
            line: l.line,
            ts: l.ts,
            level: l.level,
            component: l.component,
            templateId: String(l.templateId),
            template: l.template,
            params: l.params
          }) + '\n'
        )
      }
      await out.maybeFlush()
      if (out.closed) stop.abort()
    }).catch((err: unknown) => {
      if (!stop.signal.aborted) throw err
    })
  } else {
    writeSummary(out, file, result)
  }
  await out.flush()
}

function writeSummary(out: BufferedOutput, file: string, r: ParseResult): void {
  const templates = r.miner.templates()
  out.write(`file        ${file}\n`)
  out.write(`format      ${r.description}\n`)
  out.write(`encoding    ${r.encoding}${r.compression === 'none' ? '' : ` (${r.compression})`}\n`)
  out.write(`lines       ${r.lines} in ${r.records} records\n`)
  out.write(`templates   ${templates.length}\n\n`)
  const width = String(templates[0]?.count ?? 0).length
  for (const t of templates) out.write(`${String(t.count).padStart(width)}  [${t.id}] ${t.text}\n`)
}

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('detect the log format and mine message templates')
    .argument('<file>', 'log file (plain, .gz or .zst; UTF-8 or UTF-16 with BOM)')
    .option('--jsonl', 'one JSON object per input line: line, ts, level, component, templateId, template, params')
    .option('--format <string>', 'header layout instead of detection, e.g. "<Date> <Time> <Level> <Component>: <Content>"')
    .action((file: string, options: ParseCommandOptions) => runParse(file, options, process.stdout))
}
