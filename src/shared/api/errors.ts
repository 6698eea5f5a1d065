/**
 * Errors that cross the API boundary. They travel as plain data (`ApiErrorBody`) because
 * neither Electron IPC nor JSON preserve Error subclasses; `ApiError` rebuilds them on the
 * receiving side so callers can switch on `code`.
 */
export const apiErrorCodes = [
  'unknown_method',
  'invalid_params',
  'not_found',
  'conflict',
  'cancelled',
  'unauthorized',
  'unavailable',
  /** The file does not look like a text log; the request may be repeated with `anyway`. */
  'not_text',
  'internal'
] as const

export type ApiErrorCode = (typeof apiErrorCodes)[number]

export interface ApiIssue {
  /** Dotted path into the params, e.g. `patch.theme`. Empty for the params as a whole. */
  path: string
  message: string
}

export interface ApiErrorBody {
  code: ApiErrorCode
  message: string
  issues?: ApiIssue[]
}

export class ApiError extends Error {
  readonly code: ApiErrorCode
  readonly issues: ApiIssue[]

  constructor(code: ApiErrorCode, message: string, issues: ApiIssue[] = []) {
    super(message)
    this.name = 'ApiError'
    this.code = code
    this.issues = issues
  }

  toBody(): ApiErrorBody {
    return this.issues.length > 0
      ? { code: this.code, message: this.message, issues: this.issues }
      : { code: this.code, message: this.message }
  }

  static fromBody(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues ?? [])
  }
}

export function isApiErrorCode(value: unknown): value is ApiErrorCode {
  return typeof value === 'string' && (apiErrorCodes as readonly string[]).includes(value)
}
