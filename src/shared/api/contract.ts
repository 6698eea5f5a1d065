/**
 * The one API contract between the renderer and the engine. Every request (name → params and
 * result) and every event (name → payload) the renderer can use is declared here and nowhere
 * else; the router, the Electron IPC adapter, the web host and the typed client all derive from
 * it. Params are validated with these schemas on the engine side; results are validated in tests.
 */
import { z } from 'zod'
import { caseEvents, caseRequests } from './case-contract.ts'
import { exportRequests } from './export-contract.ts'
import { liveEvents, liveRequests } from './live-contract.ts'
import { modelEvents, modelRequests } from './model-contract.ts'

export const themeSchema = z.enum(['dark', 'light'])
export type Theme = z.infer<typeof themeSchema>

export const settingsSchema = z.object({
  theme: themeSchema,
  /** Desktop notifications for new live alerts (off by default). */
  desktopNotifications: z.boolean()
})
export type Settings = z.infer<typeof settingsSchema>

export const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error'])
export type LogLevel = z.infer<typeof logLevelSchema>

export const logEntrySchema = z.object({
  seq: z.number().int().nonnegative(),
  ts: z.number(),
  level: logLevelSchema,
  scope: z.string(),
  message: z.string()
})
export type LogEntry = z.infer<typeof logEntrySchema>

export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  runtime: z.object({ node: z.string(), sqlite: z.string(), platform: z.string() }),
  dataDir: z.string(),
  startedAt: z.number()
})
export type AppInfo = z.infer<typeof appInfoSchema>

const noParams = z.object({}).strict()

/** Request name → params schema and result schema. */
export const requests = {
  'app.info': { params: noParams, result: appInfoSchema },
  'app.log': {
    params: z.object({ limit: z.number().int().min(1).max(10_000).default(500) }).strict(),
    result: z.object({ entries: z.array(logEntrySchema) })
  },
  /** A native file picker; only the desktop app has one (the web host answers `unavailable`). */
  'app.pickFiles': {
    params: z.object({ title: z.string().max(200).default('Open a log file'), multiple: z.boolean().default(false) }).strict(),
    result: z.object({ paths: z.array(z.string()) })
  },
  'settings.get': { params: noParams, result: settingsSchema },
  'settings.update': {
    params: z.object({ patch: settingsSchema.partial().strict() }).strict(),
    result: settingsSchema
  },
  ...caseRequests,
  ...modelRequests,
  ...liveRequests,
  ...exportRequests
} as const

/** Event name → payload schema. Events flow engine → renderer only. */
export const events = {
  'settings.changed': settingsSchema,
  'app.logged': logEntrySchema,
  ...caseEvents,
  ...modelEvents,
  ...liveEvents
} as const

export type Requests = typeof requests
export type RequestName = keyof Requests
/** What a caller passes (defaults may be omitted). */
export type ParamsIn<K extends RequestName> = z.input<Requests[K]['params']>
/** What a handler receives after validation (defaults filled in). */
export type Params<K extends RequestName> = z.output<Requests[K]['params']>
export type Result<K extends RequestName> = z.output<Requests[K]['result']>

export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<K extends EventName> = z.output<Events[K]>

export const requestNames = Object.keys(requests) as RequestName[]
export const eventNames = Object.keys(events) as EventName[]

export function isRequestName(name: string): name is RequestName {
  return Object.hasOwn(requests, name)
}

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name)
}
