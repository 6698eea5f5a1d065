import { TemplateMiner } from '../mine/index.ts'
import type { MinerSettings } from '../mine/index.ts'
import type { FormatSpec } from '../format/index.ts'
import type { Compression, TextEncoding } from '../read/index.ts'
import { IntList } from './int-list.ts'
import type { IntSequence } from './int-list.ts'
import { openRecordStream } from './records.ts'
import type { RecordStreamOptions } from './records.ts'

export interface ParseOptions extends RecordStreamOptions {
  readonly minerSettings?: Partial<MinerSettings> | undefined
  /** Continue mining into an existing miner (e.g. restored from a snapshot). */
  readonly miner?: TemplateMiner | undefined
}

export interface ParseResult {
  readonly spec: FormatSpec
  readonly description: string
  readonly miner: TemplateMiner
  /** Template id of each record in file order, as assigned online; pass through `miner.resolve`. */
  readonly assignments: IntSequence
  readonly records: number
  readonly lines: number
  readonly bytes: number
  readonly encoding: TextEncoding
  readonly compression: Compression
}

/** The engine's one pipeline: reader → format detection → template miner, in one pass. */
export async function parseFile(path: string, options: ParseOptions = {}): Promise<ParseResult> {
  const stream = await openRecordStream(path, options)
  const miner = options.miner ?? new TemplateMiner(options.minerSettings ?? {})
  const assignments = new IntList()
  const splitter = stream.splitter
  let lines = 0
  for await (const batch of stream.batches) {
    for (const record of batch) {
      lines += 1 + record.continuation.length
      assignments.push(miner.add(splitter.content(record.head.text)))
    }
  }
  miner.compact()
  return {
    spec: stream.splitter.spec,
    description: stream.splitter.description,
    miner,
    assignments,
    records: assignments.length,
    lines,
    bytes: stream.progress.bytes,
    encoding: stream.progress.encoding,
    compression: stream.progress.compression
  }
}

export interface ParsedLine {
  readonly line: number
  readonly ts: number | null
  readonly level: string | null
  readonly component: string | null
  readonly templateId: number
  readonly template: string
  readonly params: readonly string[]
  /** The message after the header (the whole line when it has no header). */
  readonly content: string
}

/**
 * Second pass over a parsed file: every physical line with its final template, one batch at a
 * time (awaited, so a slow consumer applies backpressure). Continuation lines carry their
 * record's header fields and template, without params.
 */
export async function replayParsed(
  path: string,
  result: ParseResult,
  options: RecordStreamOptions,
  onBatch: (lines: ParsedLine[]) => void | Promise<void>
): Promise<void> {
  const stream = await openRecordStream(path, { ...options, format: undefined, spec: result.spec })
  let index = 0
  for await (const batch of stream.batches) {
    const out: ParsedLine[] = []
    for (const record of batch) {
      const split = stream.splitter.split(record.head.text)
      const id = result.miner.resolve(result.assignments.at(index++))
      const t = result.miner.template(id)
      const f = split.fields
      out.push({
        line: record.head.lineNo,
        ts: f.ts,
        level: f.level,
        component: f.component,
        templateId: id,
        template: t.text,
        params: result.miner.params(id, split.content),
        content: split.content
      })
      for (const c of record.continuation)
        out.push({ line: c.lineNo, ts: f.ts, level: f.level, component: f.component, templateId: id, template: t.text, params: [], content: c.text })
    }
    await onBatch(out)
  }
}
