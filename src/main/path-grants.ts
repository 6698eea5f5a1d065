/**
 * The renderer never names a file on its own: a path it asks to open must have come from this
 * process first, through the file dialog, a drop (the preload resolves the dropped File), or the
 * recent list. A renderer running hostile script can then read nothing the user did not pick.
 */
import { resolve } from 'node:path'
import type { Reply } from '../shared/api/reply.ts'

/** Methods whose params name files to read, and which of their params do. */
const pathParams: Record<string, (params: Record<string, unknown>) => unknown[]> = {
  'case.open': (p) => [p.path, ...(Array.isArray(p.baseline) ? (p.baseline as unknown[]) : [])],
  'case.reopen': (p) => [p.path],
  'case.retrain': (p) => {
    const baseline = p.baseline as { kind?: unknown; paths?: unknown } | undefined
    return baseline?.kind === 'files' && Array.isArray(baseline.paths) ? (baseline.paths as unknown[]) : []
  },
  'models.import': (p) => [p.path]
}

export class PathGrants {
  readonly #granted = new Set<string>()

  grant(path: string): void {
    this.#granted.add(resolve(path))
  }

  /** Records the paths a reply hands to the renderer (picked files, recent cases). */
  noteReply(method: string, reply: Reply): void {
    if (!reply.ok) return
    const result = reply.result as { paths?: unknown; cases?: unknown } | null
    if (method === 'app.pickFiles' && Array.isArray(result?.paths)) {
      for (const path of result.paths) if (typeof path === 'string') this.grant(path)
    }
    if (method === 'cases.recent' && Array.isArray(result?.cases)) {
      for (const item of result.cases as { path?: unknown }[]) if (typeof item.path === 'string') this.grant(item.path)
    }
  }

  /** Why a request must be refused (a path it names was never handed out), or null. */
  refusal(method: string, params: unknown): string | null {
    const paths = pathParams[method]
    if (!paths || typeof params !== 'object' || params === null) return null
    for (const path of paths(params as Record<string, unknown>)) {
      if (typeof path !== 'string') continue // the router's schema check reports it
      if (!this.#granted.has(resolve(path))) {
        return `${path} was not chosen in this window: open files with "Open a log file…", by dropping them, or from the recent list`
      }
    }
    return null
  }
}
