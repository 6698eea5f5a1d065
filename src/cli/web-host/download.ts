/** Sends a file the engine offered (see core/service/downloads.ts) as an attachment. */
import { createReadStream, statSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import type { OfferedFile } from '../../core/service/downloads.ts'

export function sendDownload(res: ServerResponse, file: OfferedFile, headOnly: boolean): void {
  let size: number
  try {
    size = statSync(file.path).size
  } catch {
    res.statusCode = 410
    res.setHeader('Content-Type', 'text/plain; charset=utf-8')
    return void res.end('Faultline: the exported file is gone; export again.\n')
  }
  res.statusCode = 200
  res.setHeader('Content-Type', file.mime)
  res.setHeader('Content-Length', String(size))
  // RFC 6266: an ASCII fallback plus the exact name, percent-encoded.
  const ascii = file.name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  res.setHeader('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.name)}`)
  res.setHeader('Cache-Control', 'no-store')
  if (headOnly) return void res.end()
  createReadStream(file.path)
    .on('error', () => res.destroy())
    .pipe(res)
}
