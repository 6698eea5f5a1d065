/**
 * The request bodies the scoring service accepts, checked by hand (two shapes do not need a
 * schema library) so each mistake gets its own plain sentence.
 */
export class RequestError extends Error {
  readonly status: number
  readonly code: string
  constructor(status: number, code: string, message: string) {
    super(message)
    this.name = 'RequestError'
    this.status = status
    this.code = code
  }
}

export function parseJson(body: string): unknown {
  if (body.trim() === '') throw new RequestError(400, 'empty_body', 'request body is empty; send JSON such as {"log_message": "..."}')
  try {
    return JSON.parse(body)
  } catch (error) {
    throw new RequestError(400, 'bad_json', `request body is not valid JSON (${error instanceof Error ? error.message : String(error)})`)
  }
}

/** `{"log_message": "..."}` → the line. */
export function singleLine(value: unknown): string {
  const field = objectField(value, 'log_message', '{"log_message": "..."}')
  if (typeof field !== 'string') throw new RequestError(422, 'wrong_type', `"log_message" must be a string, not ${typeOf(field)}`)
  return field
}

/** `{"log_messages": ["...", ...]}` → the lines. */
export function manyLines(value: unknown, maxLines: number): string[] {
  const field = objectField(value, 'log_messages', '{"log_messages": ["...", "..."]}')
  if (!Array.isArray(field)) throw new RequestError(422, 'wrong_type', `"log_messages" must be an array of strings, not ${typeOf(field)}`)
  if (field.length > maxLines) {
    throw new RequestError(413, 'too_many_lines', `"log_messages" holds ${field.length} lines; at most ${maxLines} per request`)
  }
  field.forEach((line: unknown, index) => {
    if (typeof line !== 'string') throw new RequestError(422, 'wrong_type', `"log_messages"[${index}] must be a string, not ${typeOf(line)}`)
  })
  return field as string[]
}

function objectField(value: unknown, name: string, example: string): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError(422, 'wrong_type', `request body must be a JSON object like ${example}, not ${typeOf(value)}`)
  }
  if (!(name in value)) throw new RequestError(422, 'missing_field', `request body lacks "${name}"; expected ${example}`)
  return (value as Record<string, unknown>)[name]
}

function typeOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`
}
