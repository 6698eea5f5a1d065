import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { Download } from '../../../shared/api/model-contract.ts'
import { downloadPath } from '../../../shared/api/wire.ts'

/**
 * Hands a file the engine prepared to the user: the browser downloads it from the web host
 * (the cookie carries the token); the desktop app asks where to save it. Resolves with what to
 * tell the user, or null when they cancelled.
 */
export async function deliverDownload(api: FaultlineApi, transport: 'electron' | 'web', download: Download): Promise<string | null> {
  if (transport === 'electron') {
    const { path } = await api.request('app.saveDownload', { id: download.id })
    return path && `Saved ${path}`
  }
  const link = document.createElement('a')
  link.href = `${downloadPath}/${encodeURIComponent(download.id)}`
  link.download = download.name
  document.body.append(link)
  link.click()
  link.remove()
  return `Downloading ${download.name}`
}
