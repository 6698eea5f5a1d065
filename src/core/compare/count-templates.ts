/**
 * The template counts a comparison needs: the baseline's from a model's statistics, the
 * incident's by mining it with that model's miner, so known templates keep their baseline ids
 * and the rest get new ones. The miner learns here (unlike in the scoring service): the whole
 * incident is read once, so its new templates are worth telling apart.
 */
import { openRecordStream } from '../parse/index.ts'
import type { Model } from '../model/model.ts'
import type { TemplateCount, TemplateCounts } from '../../shared/compare/index.ts'

export function baselineCounts(model: Model): TemplateCounts {
  return {
    totalLines: model.totalLines,
    templates: [...model.templates.values()].map((t) => ({ id: t.id, text: t.text, count: t.count }))
  }
}

export interface CountOptions {
  format?: string | undefined
  multiline?: boolean | undefined
}

export async function countIncidentTemplates(path: string, model: Model, options: CountOptions = {}): Promise<TemplateCounts & { format: string }> {
  const miner = model.miner()
  const stream = await openRecordStream(path, { format: options.format, multiline: options.multiline })
  const seen = new Map<number, { count: number; firstLine: number }>()
  let totalLines = 0
  for await (const batch of stream.batches) {
    for (const record of batch) {
      const content = stream.splitter.content(record.head.text)
      const id = miner.match(content) ?? miner.add(content)
      const entry = seen.get(id)
      if (entry) entry.count++
      else seen.set(id, { count: 1, firstLine: record.head.lineNo })
      totalLines++
    }
  }
  // Ids handed out along the way may since have merged: fold them into their final template.
  const merged = new Map<number, TemplateCount>()
  for (const [id, { count, firstLine }] of seen) {
    const root = miner.resolve(id)
    const entry = merged.get(root)
    if (entry) {
      entry.count += count
      entry.firstLine = Math.min(entry.firstLine ?? firstLine, firstLine)
    } else merged.set(root, { id: root, text: miner.template(root).text, count, firstLine })
  }
  return { totalLines, templates: [...merged.values()], format: stream.splitter.description }
}
