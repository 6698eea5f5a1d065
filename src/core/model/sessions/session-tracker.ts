/**
 * Gathers lines into sessions by id while a file is read: which templates each session holds,
 * how often, in what order, and where it starts and ends.
 */

export interface Session {
  id: string
  /** The session's first template: sessions of one kind (one request type, one job type) are compared with each other. */
  kind: string
  /**
   * The first two templates: a finer kind, used to tell an alternative (each search term its own
   * template, all common among searches) from a real rarity.
   */
  subkind: string
  counts: Map<number, number>
  /** Template ids in order, capped so a runaway session cannot grow without bound. */
  sequence: number[]
  firstLine: number
  lastLine: number
  firstTs: number | null
  lastTs: number | null
  lines: number
  /** Lines of the session that were flagged on their own. */
  flaggedLines: number
}

export const maxSequence = 512

export class SessionTracker {
  readonly sessions = new Map<string, Session>()

  add(id: string, template: number, lineNo: number, ts: number | null, flagged: boolean): void {
    let session = this.sessions.get(id)
    if (!session) this.sessions.set(id, (session = newSession(id, template, lineNo, ts)))
    observeSession(session, template, lineNo, ts, flagged)
  }
}

/** A session about to see its first line (then `observeSession` it): for trackers keyed otherwise. */
export function newSession(id: string, template: number, lineNo: number, ts: number | null): Session {
  return { id, kind: String(template), subkind: String(template), counts: new Map(), sequence: [], firstLine: lineNo, lastLine: lineNo, firstTs: ts, lastTs: ts, lines: 0, flaggedLines: 0 }
}

/** Adds one line to a session. */
export function observeSession(session: Session, template: number, lineNo: number, ts: number | null, flagged: boolean): void {
  session.counts.set(template, (session.counts.get(template) ?? 0) + 1)
  if (session.sequence.length < maxSequence) session.sequence.push(template)
  if (session.sequence.length === 2) session.subkind = `${session.sequence[0]}>${template}`
  session.lastLine = lineNo
  if (ts !== null) {
    if (session.firstTs === null) session.firstTs = ts
    session.lastTs = ts
  }
  session.lines++
  if (flagged) session.flaggedLines++
}

/**
 * Re-keys a session's templates after its lines were tracked as mined: `resolve` maps a template
 * id to the one it merged into since. Training tracks sessions while it mines (the reader is the
 * slower side then), so ids settle only afterwards.
 */
export function resolveSession(session: Session, resolve: (id: number) => number): void {
  let moved = false
  for (const id of session.counts.keys()) {
    if (resolve(id) !== id) {
      moved = true
      break
    }
  }
  if (!moved) return
  const counts = new Map<number, number>()
  for (const [id, n] of session.counts) {
    const to = resolve(id)
    counts.set(to, (counts.get(to) ?? 0) + n)
  }
  session.counts = counts
  const sequence = session.sequence
  for (let i = 0; i < sequence.length; i++) sequence[i] = resolve(sequence[i] as number)
  session.kind = String(sequence[0])
  session.subkind = sequence.length >= 2 ? `${sequence[0]}>${sequence[1]}` : session.kind
}
