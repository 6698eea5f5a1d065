/**
 * The part of the API contract about models: the library (list, rename, delete, import,
 * export), retraining an open case on a chosen baseline, and switching the model it is scored
 * with. Training and re-scoring run in the background; `case.training` events tell how far.
 */
import { z } from 'zod'
import { modelEntrySchema } from '../models/model-entry.ts'

const caseId = z.string().min(1).max(200)
const modelId = z.string().min(1).max(100)
const path = z.string().min(1).max(4_096)

/** A file the engine prepared for the user to save (an export, a model file). */
export const downloadSchema = z.object({ id: z.string(), name: z.string(), bytes: z.number() })
export type Download = z.infer<typeof downloadSchema>

/** What is known to be normal: known-good files, or a stretch of the open case itself. */
export const baselineChoiceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('files'), paths: z.array(path).min(1).max(32) }),
  z.object({ kind: z.literal('lines'), sourceId: z.number().int().positive(), fromLine: z.number().int().min(1), toLine: z.number().int().min(1) }),
  z.object({ kind: z.literal('time'), sourceId: z.number().int().positive(), fromTs: z.number(), toTs: z.number() })
])
export type BaselineChoice = z.infer<typeof baselineChoiceSchema>

/** What a re-score changed: counts, and a bounded sample of the lines on each side. */
export const rescoreChangeSchema = z.object({
  flagged: z.number(),
  newlyFlagged: z.number(),
  cleared: z.number(),
  newlyFlaggedLines: z.array(z.number()),
  clearedLines: z.array(z.number()),
  ms: z.number()
})
export type RescoreChange = z.infer<typeof rescoreChangeSchema>

export const trainingEventSchema = z.object({
  caseId,
  phase: z.enum(['training', 'scoring', 'done', 'failed', 'cancelled']),
  /** 0…1 within the phase, when known. */
  share: z.number().nullable(),
  message: z.string(),
  change: rescoreChangeSchema.nullable(),
  /** For "this is normal": the mark to remove to undo it. */
  undoMark: z.number().nullable()
})
export type TrainingEvent = z.infer<typeof trainingEventSchema>

export const compareRowSchema = z.object({
  kind: z.enum(['new', 'vanished', 'rate']),
  template: z.string(),
  baselineCount: z.number(),
  caseCount: z.number(),
  /** Case lines expected at the baseline's rate. */
  expected: z.number(),
  /** Smoothed case rate ÷ baseline rate; null for a new template. */
  ratio: z.number().nullable(),
  /** The case's templates counted in this row (none for a vanished one): a click filters to them. */
  caseTemplates: z.array(z.number())
})
export type CompareRowView = z.infer<typeof compareRowSchema>

export const comparisonSchema = z.object({
  modelName: z.string(),
  baselineLines: z.number(),
  caseLines: z.number(),
  added: z.array(compareRowSchema),
  vanished: z.array(compareRowSchema),
  changed: z.array(compareRowSchema)
})
export type ComparisonView = z.infer<typeof comparisonSchema>

export const normalTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('line'), sourceId: z.number().int().positive(), lineNo: z.number().int().min(1) }),
  z.object({ kind: z.literal('template'), templateId: z.number().int() })
])
export type NormalTargetView = z.infer<typeof normalTargetSchema>

export const modelRequests = {
  'models.list': { params: z.object({}).strict(), result: z.object({ models: z.array(modelEntrySchema) }) },
  'models.rename': { params: z.object({ id: modelId, name: z.string().min(1).max(200) }).strict(), result: modelEntrySchema },
  'models.delete': { params: z.object({ id: modelId }).strict(), result: z.object({ deleted: z.boolean() }) },
  /** Adds a model file (from the file dialog or an upload) to the library, once checked. */
  'models.import': { params: z.object({ path, name: z.string().max(200).optional() }).strict(), result: modelEntrySchema },
  'models.export': { params: z.object({ id: modelId }).strict(), result: downloadSchema },
  /**
   * Learns a new model from the chosen baseline, adds it to the library and re-scores the case
   * with it, in place. Answers at once; `case.training` events follow.
   */
  'case.retrain': {
    params: z.object({ caseId, baseline: baselineChoiceSchema, name: z.string().max(200).optional() }).strict(),
    result: z.object({ started: z.boolean() })
  },
  /** Re-scores the case in place with a model from the library. */
  'case.useModel': { params: z.object({ caseId, modelId }).strict(), result: z.object({ started: z.boolean() }) },
  'case.cancelTraining': { params: z.object({ caseId }).strict(), result: z.object({ cancelled: z.boolean() }) },
  /** Templates new in the case, vanished from it, and whose rate changed, against the model's baseline. */
  'case.compare': { params: z.object({ caseId }).strict(), result: comparisonSchema },
  /**
   * "This is normal": the model learns the line (or the template) and the case is re-scored;
   * the `case.training` event that ends it carries the mark to undo.
   */
  'case.markNormal': { params: z.object({ caseId, target: normalTargetSchema }).strict(), result: z.object({ started: z.boolean() }) },
  'case.unmarkNormal': { params: z.object({ caseId, markId: z.number().int() }).strict(), result: z.object({ started: z.boolean() }) },
  /** Saves a prepared download where the user chooses (desktop only; the browser downloads it). */
  'app.saveDownload': { params: z.object({ id: z.string().min(1).max(100) }).strict(), result: z.object({ path: z.string().nullable() }) }
} as const

export const modelEvents = {
  'case.training': trainingEventSchema
} as const
