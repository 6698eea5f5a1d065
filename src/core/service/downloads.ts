/**
 * Files the engine prepared for the user to save: an export, a model file. The renderer gets a
 * handle, never a path; the web host serves `GET /download/<id>` and the desktop shell saves a
 * copy where the user chooses. Handles are random and only the newest few are kept.
 */
import { randomUUID } from 'node:crypto'
import { statSync } from 'node:fs'
import type { Download } from '../../shared/api/model-contract.ts'

export interface OfferedFile {
  path: string
  name: string
  mime: string
}

const kept = 64

export class Downloads {
  readonly #files = new Map<string, OfferedFile>()

  offer(path: string, name: string, mime = 'application/octet-stream'): Download {
    const id = randomUUID()
    this.#files.set(id, { path, name, mime })
    if (this.#files.size > kept) this.#files.delete(this.#files.keys().next().value as string)
    return { id, name, bytes: statSync(path).size }
  }

  get(id: string): OfferedFile | undefined {
    return this.#files.get(id)
  }
}

/** A file name safe to offer on every platform (no separators or control characters). */
export function safeFileName(name: string): string {
  const visible = [...name].map((c) => (c.charCodeAt(0) < 0x20 ? '_' : c)).join('')
  const cleaned = visible.replace(/[\\/:*?"<>|]+/g, '_').trim()
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'download' : cleaned.slice(0, 200)
}
