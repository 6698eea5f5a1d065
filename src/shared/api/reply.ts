import type { ApiErrorBody } from './errors.ts'

/** What every transport carries back for one request: a result or a typed error, never a throw. */
export type Reply = { ok: true; result: unknown } | { ok: false; error: ApiErrorBody }

/**
 * The untyped pipe a transport provides. The preload script exposes exactly this shape through
 * contextBridge; the web host speaks it over a WebSocket; tests wire it straight to the router.
 */
export interface Bridge {
  request(method: string, params: unknown): Promise<Reply>
  subscribe(listener: (event: string, payload: unknown) => void): () => void
}
