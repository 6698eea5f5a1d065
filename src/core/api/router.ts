/**
 * Transport-agnostic request dispatch. Every transport (Electron IPC, the web host, in-process
 * tests) hands `dispatch` an untrusted method name and params and gets a `Reply` back: params are
 * validated against the contract, handler failures become typed errors, and nothing throws.
 */
import type { ZodError } from 'zod'
import { isRequestName, requests } from '../../shared/api/contract.ts'
import type { Params, RequestName, Result } from '../../shared/api/contract.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { ApiIssue } from '../../shared/api/errors.ts'
import type { Reply } from '../../shared/api/reply.ts'
import type { Logger } from '../diagnostics/logger.ts'

export type Handlers = {
  [K in RequestName]: (params: Params<K>) => Promise<Result<K>> | Result<K>
}

export interface Router {
  dispatch(method: string, params: unknown): Promise<Reply>
}

export interface RouterOptions {
  log: Logger
  /** Check results against the contract too: on in tests, to catch handlers drifting from it. */
  validateResults?: boolean
}

export function createRouter(handlers: Handlers, options: RouterOptions): Router {
  const { log, validateResults = false } = options

  async function run<K extends RequestName>(method: K, rawParams: unknown): Promise<Result<K>> {
    const spec = requests[method]
    const parsed = spec.params.safeParse(rawParams ?? {})
    if (!parsed.success) {
      throw new ApiError('invalid_params', `Invalid params for ${method}`, toIssues(parsed.error))
    }
    const handler = handlers[method] as (p: Params<K>) => Promise<Result<K>> | Result<K>
    const result = await handler(parsed.data as Params<K>)
    if (validateResults) {
      const checked = spec.result.safeParse(result)
      if (!checked.success) {
        throw new ApiError('internal', `Result of ${method} breaks the contract`, toIssues(checked.error))
      }
    }
    return result
  }

  return {
    async dispatch(method, params) {
      if (typeof method !== 'string' || !isRequestName(method)) {
        return { ok: false, error: { code: 'unknown_method', message: `Unknown method: ${String(method)}` } }
      }
      try {
        return { ok: true, result: await run(method, params) }
      } catch (error) {
        if (error instanceof ApiError) return { ok: false, error: error.toBody() }
        // An unexpected failure is a bug: keep the details in the engine log, send a readable line.
        const message = error instanceof Error ? error.message : String(error)
        log.error('router', `${method} failed: ${error instanceof Error && error.stack ? error.stack : message}`)
        return { ok: false, error: { code: 'internal', message: `${method} failed: ${message}` } }
      }
    }
  }
}

function toIssues(error: ZodError): ApiIssue[] {
  return error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
}
