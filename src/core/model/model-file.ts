/**
 * The model file: versioned JSON with a checksum over its content, so a truncated, hand-edited
 * or foreign file is refused with a clear message instead of scoring nonsense.
 */
import { createHash } from 'node:crypto'
import { readFile, writeFile, rename } from 'node:fs/promises'
import { Model } from './model.ts'
import type { ModelSnapshot } from './model.ts'

export const modelFormat = 'faultline-model'
export const modelSchemaVersion = 1

interface ModelEnvelope {
  format: typeof modelFormat
  schemaVersion: number
  checksum: string
  model: ModelSnapshot
}

export class ModelFileError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ModelFileError'
  }
}

function checksum(model: ModelSnapshot): string {
  return `sha256:${createHash('sha256').update(JSON.stringify(model)).digest('hex')}`
}

export function serializeModel(model: Model): string {
  const snapshot = model.toSnapshot()
  const envelope: ModelEnvelope = { format: modelFormat, schemaVersion: modelSchemaVersion, checksum: checksum(snapshot), model: snapshot }
  return JSON.stringify(envelope)
}

export function parseModel(text: string, origin = 'model'): Model {
  let envelope: Partial<ModelEnvelope>
  try {
    envelope = JSON.parse(text) as Partial<ModelEnvelope>
  } catch (error) {
    throw new ModelFileError(`${origin} is not a Faultline model: not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  if (typeof envelope !== 'object' || envelope === null || envelope.format !== modelFormat) {
    throw new ModelFileError(`${origin} is not a Faultline model file`)
  }
  if (typeof envelope.schemaVersion !== 'number' || envelope.schemaVersion > modelSchemaVersion) {
    throw new ModelFileError(
      `${origin} was written by a newer Faultline (model schema ${String(envelope.schemaVersion)}; this version reads up to ${modelSchemaVersion})`
    )
  }
  if (!envelope.model || envelope.checksum !== checksum(envelope.model)) {
    throw new ModelFileError(`${origin} is damaged: its checksum does not match its content`)
  }
  try {
    return Model.fromSnapshot(envelope.model)
  } catch (error) {
    throw new ModelFileError(`${origin} is damaged: ${error instanceof Error ? error.message : String(error)}`)
  }
}

export async function saveModel(model: Model, path: string): Promise<void> {
  // Write beside and rename, so a crash never leaves half a model under the real name.
  const temporary = `${path}.${process.pid}.tmp`
  await writeFile(temporary, serializeModel(model))
  await rename(temporary, path)
}

export async function loadModel(path: string): Promise<Model> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new ModelFileError(`Cannot read model ${path}: ${error instanceof Error ? error.message : String(error)}`)
  }
  return parseModel(text, path)
}
