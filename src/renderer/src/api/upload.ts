import { uploadPath } from '../../../shared/api/wire.ts'

/**
 * Sends a dropped file to the web host (which saves it in its data folder) and resolves with
 * the path there. XMLHttpRequest rather than fetch: it reports upload progress.
 */
export function uploadFile(file: File, onProgress: (share: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', `${uploadPath}?name=${encodeURIComponent(file.name)}`)
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total)
    }
    request.onload = () => {
      const body = JSON.parse(request.responseText || '{}') as { path?: string; error?: string }
      if (request.status === 200 && body.path) resolve(body.path)
      else reject(new Error(`Could not upload ${file.name}: ${body.error ?? request.statusText}`))
    }
    request.onerror = () => reject(new Error(`Could not upload ${file.name}: the connection failed`))
    request.send(file)
  })
}
