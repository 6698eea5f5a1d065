import { filesGlobal } from '../../../shared/api/ipc-channels.ts'

interface DesktopFiles {
  pathOf(file: File): Promise<string | null>
}

/**
 * The desktop app's path for a file the user dropped, which the main process then lets the
 * renderer open; null in the browser (it uploads instead) or for a File without a path.
 */
export async function droppedPath(file: File): Promise<string | null> {
  const files = (globalThis as Record<string, unknown>)[filesGlobal] as DesktopFiles | undefined
  return files ? files.pathOf(file) : null
}
