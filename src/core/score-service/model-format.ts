/**
 * Which header layout a model's lines were written in: given (`--format`), recorded in the model
 * (models trained since the layout was recorded), or for older models detected again from the
 * first lines of the model's own sources, the same way training detected it. When none works the
 * caller gets a clear error rather than a service that splits every line wrongly and calls
 * everything novel.
 */
import { detectFormat } from '../format/index.ts'
import type { FormatSpec } from '../format/index.ts'
import { looksLikeContinuation, readLineBatches } from '../read/index.ts'
import type { Model } from '../model/model.ts'

const sampleLines = 2000

export class ModelFormatError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelFormatError'
  }
}

export async function resolveModelFormat(model: Model, format?: string): Promise<FormatSpec> {
  if (format !== undefined) return { kind: 'pattern', format }
  // Models record the layout they learnt with; older ones have it detected again from their files.
  if (model.format) return model.format
  const problems: string[] = []
  for (const source of model.sources) {
    try {
      const sample = await readSample(source.path)
      if (sample.length > 0) return detectFormat(sample)
      problems.push(`${source.path} is empty`)
    } catch (error) {
      problems.push(error instanceof Error ? error.message : String(error))
    }
  }
  throw new ModelFormatError(
    `cannot tell the model's log format: its baseline files cannot be read (${problems.join('; ') || 'the model lists none'}); pass --format "<layout>"`
  )
}

async function readSample(path: string): Promise<string[]> {
  const sample: string[] = []
  // Breaking out of the loop closes the file.
  outer: for await (const batch of readLineBatches(path, {})) {
    for (const line of batch) {
      if (sample.length >= sampleLines) break outer
      if (!looksLikeContinuation(line.text)) sample.push(line.text)
    }
  }
  return sample
}
