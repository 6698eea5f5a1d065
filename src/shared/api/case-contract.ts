/**
 * The part of the API contract that serves an investigation: opening a log (or the bundled
 * sample) into a case, following its ingest, and the viewer's queries.
 */
import { z } from 'zod'
import { lineFilterSchema } from '../case/line-filter.ts'

const caseId = z.string().min(1).max(200)
const sourceId = z.number().int().positive()
const lineNo = z.number().int().min(0)

export const ingestStateSchema = z.enum(['ingesting', 'complete', 'partial', 'cancelled', 'failed'])

export const ingestProgressSchema = z.object({
  caseId,
  sourceId,
  phase: z.string(),
  bytes: z.number(),
  totalBytes: z.number().nullable(),
  lines: z.number(),
  linesPerSecond: z.number(),
  etaSeconds: z.number().nullable()
})
export type IngestProgressEvent = z.infer<typeof ingestProgressSchema>

export const sourceSummarySchema = z.object({
  id: sourceId,
  name: z.string(),
  path: z.string(),
  size: z.number(),
  lines: z.number(),
  state: ingestStateSchema,
  format: z.string().nullable(),
  error: z.string().nullable()
})
export type SourceSummary = z.infer<typeof sourceSummarySchema>

export const modelSummarySchema = z.object({
  name: z.string(),
  /** Its id in the model library, when it came from there. */
  libraryId: z.string().nullable(),
  mode: z.enum(['baseline', 'self']),
  baseline: z.array(z.string()),
  lineThreshold: z.number(),
  templates: z.number()
})
export type ModelSummary = z.infer<typeof modelSummarySchema>

export const caseSummarySchema = z.object({
  caseId,
  path: z.string(),
  title: z.string(),
  sources: z.array(sourceSummarySchema),
  model: modelSummarySchema.nullable(),
  anomalies: z.number(),
  timeRange: z.object({ min: z.number(), max: z.number() }).nullable(),
  /** Bumped when the case's lines were replaced by a scored copy: views reload. */
  revision: z.number(),
  /** A self-trained model is being learnt and applied (opened without a baseline). */
  scoring: z.boolean(),
  /** Its log file is being followed: new lines keep arriving. */
  following: z.boolean()
})
export type CaseSummary = z.infer<typeof caseSummarySchema>

export const viewLineSchema = z.object({
  lineNo: z.number(),
  text: z.string(),
  ts: z.number().nullable(),
  level: z.number(),
  template: z.number(),
  score: z.number(),
  flagged: z.boolean(),
  continuation: z.boolean()
})
export type ViewLine = z.infer<typeof viewLineSchema>

/** A line of a case's sources interleaved by time, tagged with the source it is from. */
export const sourceViewLineSchema = viewLineSchema.extend({ sourceId: z.number() })
export type SourceViewLine = z.infer<typeof sourceViewLineSchema>

export const templateRowSchema = z.object({
  id: z.number(),
  text: z.string(),
  count: z.number(),
  baselineCount: z.number().nullable(),
  score: z.number().nullable(),
  isNew: z.boolean()
})
export type TemplateRowView = z.infer<typeof templateRowSchema>

export const sessionRowSchema = z.object({
  id: z.number(),
  kind: z.enum(['session', 'window']),
  key: z.string(),
  firstLine: z.number(),
  lastLine: z.number(),
  lines: z.number(),
  firstTs: z.number().nullable(),
  lastTs: z.number().nullable(),
  score: z.number().nullable(),
  anomaly: z.boolean(),
  reasons: z.array(z.string())
})
export type SessionRowView = z.infer<typeof sessionRowSchema>

export const sessionSummarySchema = z.object({
  kind: z.enum(['session', 'window']).nullable(),
  key: z.string().nullable(),
  count: z.number(),
  scored: z.number(),
  flagged: z.number()
})
export type SessionSummaryView = z.infer<typeof sessionSummarySchema>

export const templateEditSchema = z.object({
  id: z.number(),
  kind: z.enum(['merge', 'split']),
  createdAt: z.number(),
  description: z.string(),
  /** The templates it made or kept. */
  templates: z.array(z.number())
})
export type TemplateEditView = z.infer<typeof templateEditSchema>

export const templateParamsSchema = z.object({
  templateId: z.number(),
  text: z.string(),
  /** Records the counts come from (a sample of the template's). */
  sampled: z.number(),
  positions: z.array(
    z.object({
      position: z.number(),
      distinct: z.number(),
      values: z.array(z.object({ value: z.string(), count: z.number() }))
    })
  )
})
export type TemplateParamsView = z.infer<typeof templateParamsSchema>

/** A template edit started: it changed the case at once; its re-score follows as `case.training` events. */
const templateEditStarted = z.object({ started: z.boolean(), editId: z.number().nullable(), templates: z.array(z.number()) })
const templateId = z.number().int().min(0)

export const caseRequests = {
  'sample.open': { params: z.object({}).strict(), result: caseSummarySchema },
  'case.open': {
    params: z
      .object({
        path: z.string().min(1).max(4_096),
        /** Known-good files to train on first; self-trained when empty. */
        baseline: z.array(z.string().min(1).max(4_096)).max(32).default([]),
        /** Read it even though it does not look like a text log (the user insisted). */
        anyway: z.boolean().default(false)
      })
      .strict(),
    result: caseSummarySchema
  },
  'cases.recent': {
    params: z.object({}).strict(),
    result: z.object({
      cases: z.array(z.object({ path: z.string(), title: z.string(), openedAt: z.number(), exists: z.boolean() }))
    })
  },
  /** Reopens a case file: instant, nothing is re-read (an interrupted ingest resumes). */
  'case.reopen': { params: z.object({ path: z.string().min(1).max(4_096) }).strict(), result: caseSummarySchema },
  'case.summary': { params: z.object({ caseId }).strict(), result: caseSummarySchema },
  'case.close': { params: z.object({ caseId }).strict(), result: z.object({ closed: z.boolean() }) },
  'case.cancelIngest': { params: z.object({ caseId, sourceId }).strict(), result: z.object({ cancelled: z.boolean() }) },
  'case.lines': {
    params: z.object({ caseId, sourceId, from: lineNo, count: z.number().int().min(1).max(5_000) }).strict(),
    result: z.object({ lines: z.array(viewLineSchema), total: z.number() })
  },
  /** Every source's lines interleaved by timestamp, as `sort -m` merges them; positions from 1. */
  'case.interleavedLines': {
    params: z.object({ caseId, from: lineNo, count: z.number().int().min(1).max(5_000) }).strict(),
    result: z.object({ lines: z.array(sourceViewLineSchema), total: z.number() })
  },
  'case.filter': {
    // `token`: the caller's name for this request, so `case.cancelFilter` can stop a long text search.
    params: z.object({ caseId, sourceId, filter: lineFilterSchema, token: z.string().min(1).max(100).optional() }).strict(),
    result: z.object({ filterId: z.string(), count: z.number() })
  },
  'case.cancelFilter': {
    params: z.object({ caseId, token: z.string().min(1).max(100) }).strict(),
    result: z.object({ cancelled: z.boolean() })
  },
  'case.filteredLines': {
    params: z.object({ caseId, filterId: z.string(), from: z.number().int().min(0), count: z.number().int().min(1).max(5_000) }).strict(),
    result: z.object({ lines: z.array(viewLineSchema), count: z.number() })
  },
  'case.filterIndexOf': {
    params: z.object({ caseId, filterId: z.string(), lineNo }).strict(),
    result: z.object({ index: z.number() })
  },
  'case.lineAtTime': {
    params: z.object({ caseId, sourceId, ts: z.number() }).strict(),
    result: z.object({ lineNo: z.number().nullable() })
  },
  'case.nextAnomaly': {
    params: z.object({ caseId, sourceId, from: lineNo, direction: z.enum(['next', 'previous']) }).strict(),
    result: z.object({ lineNo: z.number().nullable() })
  },
  'case.anomaly': {
    params: z.object({ caseId, sourceId, lineNo }).strict(),
    result: z.object({ score: z.number(), reasons: z.array(z.string()) }).nullable()
  },
  'case.anomalies': {
    params: z.object({ caseId, sourceId, lineNos: z.array(lineNo).max(5_000) }).strict(),
    result: z.object({ anomalies: z.array(z.object({ lineNo: z.number(), score: z.number(), reasons: z.array(z.string()) })) })
  },
  /** Sessions (or, for logs without session ids, time windows), most anomalous first. */
  'case.sessions': {
    params: z
      .object({
        caseId,
        sourceId,
        order: z.enum(['score', 'line']).default('score'),
        anomaliesOnly: z.boolean().default(false),
        limit: z.number().int().min(1).max(1_000).default(200),
        offset: z.number().int().min(0).default(0)
      })
      .strict(),
    result: z.object({ summary: sessionSummarySchema, sessions: z.array(sessionRowSchema) })
  },
  'case.templates': { params: z.object({ caseId }).strict(), result: z.object({ templates: z.array(templateRowSchema) }) },
  /** Merges templates `from` into `into` (one template in the case and in the model); re-scores. */
  'case.mergeTemplates': {
    params: z.object({ caseId, into: templateId, from: z.array(templateId).min(1).max(100) }).strict(),
    result: templateEditStarted
  },
  /** Splits a template on its parameter at `position` (0-based): its commonest values get templates of their own; re-scores. */
  'case.splitTemplate': {
    params: z.object({ caseId, templateId, position: z.number().int().min(0).max(1_000) }).strict(),
    result: templateEditStarted
  },
  /** Takes back the last template edit; re-scores. */
  'case.undoTemplateEdit': { params: z.object({ caseId, editId: z.number().int() }).strict(), result: templateEditStarted },
  'case.templateEdits': { params: z.object({ caseId }).strict(), result: z.object({ edits: z.array(templateEditSchema) }) },
  /** A template's parameter positions with their commonest values, to choose a split. */
  'case.templateParams': { params: z.object({ caseId, templateId }).strict(), result: templateParamsSchema },
  'case.timeline': {
    params: z
      .object({ caseId, sourceId, buckets: z.number().int().min(1).max(2_000), fromTs: z.number().optional(), toTs: z.number().optional() })
      .strict(),
    result: z.object({ fromTs: z.number(), bucketMs: z.number(), lines: z.array(z.number()), anomalies: z.array(z.number()) }).nullable()
  }
} as const

/** A case being opened against a baseline: the baseline is learnt before the case exists. */
export const openingEventSchema = z.object({
  path: z.string(),
  message: z.string(),
  /** 0…1, when known. */
  share: z.number().nullable()
})
export type OpeningEvent = z.infer<typeof openingEventSchema>

export const caseEvents = {
  'ingest.progress': ingestProgressSchema,
  'case.changed': caseSummarySchema,
  'case.opening': openingEventSchema
} as const
