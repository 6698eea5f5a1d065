/** What the viewer can filter lines by; every field is optional and they all must hold. */
import { z } from 'zod'

export const lineFilterSchema = z
  .object({
    /** Lines scoring at least this (0 = normal … 1 = most anomalous). */
    minScore: z.number().min(0).max(1).optional(),
    /** Level codes (src/shared/levels.ts). */
    levels: z.array(z.number().int().min(0).max(7)).max(8).optional(),
    templates: z.array(z.number().int().nonnegative()).max(10_000).optional(),
    sessions: z.array(z.number().int().nonnegative()).max(10_000).optional(),
    fromTs: z.number().optional(),
    toTs: z.number().optional(),
    text: z.string().max(1_000).optional(),
    regex: z.boolean().optional(),
    caseSensitive: z.boolean().optional(),
    /** Also keep this many lines before and after each match (like grep -C). */
    context: z.number().int().min(0).max(1_000).optional()
  })
  .strict()

export type LineFilter = z.infer<typeof lineFilterSchema>

export function isEmptyFilter(filter: LineFilter): boolean {
  return Object.values(filter).every((value) => value === undefined || value === false || (Array.isArray(value) && value.length === 0))
}
