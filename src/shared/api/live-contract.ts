/**
 * The part of the API contract for following a growing log: start and stop following an open
 * case's file, and the alerts its new lines raise, pushed as they are scored.
 */
import { z } from 'zod'

const caseId = z.string().min(1).max(200)

export const liveAlertSchema = z.object({
  lineNo: z.number(),
  /** The line's own timestamp (epoch ms), or null. */
  ts: z.number().nullable(),
  /** When the engine scored it (epoch ms): what grouping and latency are measured by. */
  scoredAt: z.number(),
  score: z.number(),
  level: z.number(),
  templateId: z.number(),
  template: z.string(),
  reasons: z.array(z.string()),
  text: z.string()
})
export type LiveAlertView = z.infer<typeof liveAlertSchema>

export const alertsEventSchema = z.object({ caseId, sourceId: z.number(), alerts: z.array(liveAlertSchema) })

export const liveRequests = {
  /**
   * Follows the case's log file as it grows (`tail -f`): new lines go into the case, scored by
   * its model; flagged ones come as `case.alerts`. Survives rotation and truncation.
   */
  'case.follow': { params: z.object({ caseId, on: z.boolean() }).strict(), result: z.object({ following: z.boolean() }) },
  /** Desktop notification (the desktop app only; a browser shows its own). */
  'app.notify': { params: z.object({ title: z.string().max(200), body: z.string().max(2_000) }).strict(), result: z.object({ shown: z.boolean() }) }
} as const

export const liveEvents = {
  'case.alerts': alertsEventSchema
} as const
