/**
 * Files dropped on the page in a browser: the browser cannot tell us a path, so the bytes come
 * over loopback and land in the data folder, under a name that cannot escape it.
 */
import { createWriteStream, mkdirSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import type { IncomingMessage } from 'node:http'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'

export function safeUploadName(name: string, now: number): string {
  const base = basename(name.replaceAll('\\', '/')).replace(/[^\w.-]+/g, '_').replace(/^\.+/, '') || 'upload.log'
  return `${new Date(now).toISOString().replace(/[:.]/g, '-')}-${base.slice(-120)}`
}

export async function receiveUpload(req: IncomingMessage, dir: string, name: string): Promise<string> {
  mkdirSync(dir, { recursive: true })
  const path = join(dir, safeUploadName(name, Date.now()))
  try {
    await pipeline(req, createWriteStream(path, { flags: 'wx' }))
  } catch (error) {
    // A cancelled or failed upload leaves nothing half-written behind.
    await rm(path, { force: true })
    throw error
  }
  return path
}
