/**
 * What the model library shows of a model without loading it: enough for the Models view to
 * list, compare and choose.
 */
import { z } from 'zod'

export const modelEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  /** When the model was trained (epoch ms). */
  createdAt: z.number(),
  /** When it joined this library (epoch ms). */
  addedAt: z.number(),
  mode: z.enum(['baseline', 'self']),
  /** What it learnt from: file paths (or a case and its line range). */
  sources: z.array(z.object({ path: z.string(), lines: z.number() })),
  /** Records the model learnt from. */
  lines: z.number(),
  templates: z.number(),
  /** The default sensitivity: lines scoring at least this are flagged. */
  lineThreshold: z.number(),
  /** Share of its own baseline's lines it flags at that threshold (the calibration). */
  falseAlarmRate: z.number(),
  bytes: z.number()
})
export type ModelEntry = z.infer<typeof modelEntrySchema>

/** A name nobody has to type: the baseline's file names, or how the model was made. */
export function defaultModelName(mode: 'baseline' | 'self', sources: readonly { path: string }[]): string {
  const names = sources.map((s) => s.path.split(/[\\/]/).pop() ?? s.path)
  if (names.length === 0) return mode === 'self' ? 'self-trained' : 'baseline'
  const shown = names.length > 2 ? `${names.slice(0, 2).join(', ')} +${names.length - 2}` : names.join(', ')
  return mode === 'self' ? `self-trained on ${shown}` : shown
}
