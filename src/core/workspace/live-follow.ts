/**
 * Following an open case's log file as it grows: new lines are appended to the case (scored by
 * its model, see tail/append-to-case.ts) and every flagged one is announced at once, before the
 * commit that makes it visible (the commit follows within milliseconds). Line counts are
 * announced at most every `summaryEveryMs`, so a flood of lines does not flood the viewer.
 */
import type { LiveAlertView } from '../../shared/api/live-contract.ts'
import type { Clock } from '../service/deps.ts'
import { followIntoCase } from '../tail/append-to-case.ts'

export interface LiveFollow {
  readonly sourceId: number
  stop(): void
  readonly done: Promise<unknown>
}

export interface LiveFollowHooks {
  clock: Clock
  onAlerts: (alerts: LiveAlertView[]) => void
  /** Lines were committed (throttled). */
  onLines: () => void
  onEnded: (error: unknown) => void
  onNotice: (message: string) => void
}

const summaryEveryMs = 250

export function startLiveFollow(casePath: string, sourceId: number, hooks: LiveFollowHooks): LiveFollow {
  const controller = new AbortController()
  let lastSummary = 0
  let pending: ReturnType<typeof setTimeout> | null = null
  const announceLines = (): void => {
    const now = hooks.clock.now()
    if (now - lastSummary >= summaryEveryMs) {
      lastSummary = now
      hooks.onLines()
    } else pending ??= setTimeout(() => {
      pending = null
      lastSummary = hooks.clock.now()
      hooks.onLines()
    }, summaryEveryMs)
  }
  const done = followIntoCase(casePath, sourceId, {
    signal: controller.signal,
    onAlerts: (alerts) => {
      const scoredAt = hooks.clock.now()
      hooks.onAlerts(alerts.map((a) => ({ ...a, reasons: [...a.reasons], scoredAt })))
    },
    onCommit: announceLines,
    onChange: (change) => hooks.onNotice(`the followed file was ${change.kind}`)
  }).then(
    () => hooks.onEnded(null),
    (error: unknown) => hooks.onEnded(error)
  ).finally(() => {
    if (pending !== null) clearTimeout(pending)
    hooks.onLines()
  })
  return { sourceId, stop: () => controller.abort(), done }
}
