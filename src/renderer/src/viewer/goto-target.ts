/**
 * Parses what the user typed into "Go to": a line number, or a time — `15:09`, `15:09:30`,
 * `15:09:30.250` on the log's first day (UTC), or a full ISO timestamp.
 */
export type GotoTarget = { kind: 'line'; lineNo: number } | { kind: 'time'; ts: number }

export function parseGotoTarget(input: string, dayOf: number | null): GotoTarget | { kind: 'error'; message: string } {
  const text = input.trim()
  if (/^\d+$/.test(text)) {
    const lineNo = Number(text)
    return lineNo >= 1 ? { kind: 'line', lineNo } : { kind: 'error', message: 'Line numbers start at 1' }
  }
  const clock = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,3}))?)?$/.exec(text)
  if (clock) {
    if (dayOf === null) return { kind: 'error', message: 'This log has no timestamps' }
    const [h, m, s = '0', ms = '0'] = clock.slice(1) as [string, string, string?, string?]
    if (Number(h) > 23 || Number(m) > 59 || Number(s) > 59) return { kind: 'error', message: `${text} is not a time of day` }
    const day = new Date(dayOf)
    return { kind: 'time', ts: Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), Number(h), Number(m), Number(s), Number(ms.padEnd(3, '0'))) }
  }
  const ts = Date.parse(text)
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(ts)) return { kind: 'time', ts }
  return { kind: 'error', message: 'Type a line number, a time like 15:09:30, or an ISO timestamp' }
}
