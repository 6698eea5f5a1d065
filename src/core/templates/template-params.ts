/**
 * A template's parameters as the case holds them: per position (left to right), its commonest
 * values with their counts and how many distinct values a sample of its lines shows, so the user
 * can choose where to split it. Read from a sample of the template's records, not all of them:
 * a popover needs the shape, not exact counts.
 */
import type { CaseStore } from '../case/case-store.ts'
import { lineFlag } from '../case/block-codec.ts'
import { storedContent, storedRecords } from '../case/case-records.ts'
import { createLineSplitter } from '../format/index.ts'
import type { FormatSpec } from '../format/index.ts'
import { parseCheckpoint } from '../ingest/miner-checkpoint.ts'
import { TemplateMiner } from '../mine/index.ts'
import { TemplateEditError } from './template-edits.ts'

export interface ParamPosition {
  readonly position: number
  /** Distinct values in the sample (capped at `distinctCap`). */
  readonly distinct: number
  /** The commonest values, most frequent first. */
  readonly values: { readonly value: string; readonly count: number }[]
}

export interface TemplateParams {
  readonly templateId: number
  readonly text: string
  readonly sampled: number
  readonly positions: ParamPosition[]
}

const sampleRecords = 5_000
const topValues = 6
const distinctCap = 1_000

export function templateParams(store: CaseStore, sourceId: number, templateId: number): TemplateParams {
  const row = store.db.prepare(`SELECT id, canonical_id, text FROM templates WHERE id = ?`).get(templateId) as { id: number; canonical_id: number; text: string } | undefined
  if (!row) throw new TemplateEditError('not_found', `the case has no template ${templateId}`)
  const source = store.source(sourceId)
  const saved = store.minerState()
  if (!source?.formatSpec || saved === null) return { templateId, text: row.text, sampled: 0, positions: [] }
  const miner = TemplateMiner.fromSnapshot(parseCheckpoint(saved).miner)
  const splitter = createLineSplitter(JSON.parse(source.formatSpec) as FormatSpec)
  const raws = store.db.prepare(`SELECT id FROM templates WHERE canonical_id = ?`).pluck().all(row.canonical_id) as number[]
  const index = store.index(sourceId)
  const postings = index.templatePostings()
  const heads: number[] = []
  for (const raw of raws) {
    if (raw + 1 >= postings.starts.length) continue
    for (let k = postings.starts[raw] as number; k < (postings.starts[raw + 1] as number) && heads.length < sampleRecords; k++) {
      const line = postings.lines[k] as number
      if (((index.flags[line - 1] as number) & lineFlag.continuation) === 0) heads.push(line)
    }
  }
  const counts: Map<string, number>[] = []
  let sampled = 0
  for (const record of storedRecords(store.db, sourceId, { only: heads })) {
    sampled++
    miner.params(record.template, storedContent(splitter, record.text, record.flags)).forEach((value, position) => {
      const seen = counts[position] ?? (counts[position] = new Map())
      if (seen.has(value) || seen.size < distinctCap) seen.set(value, (seen.get(value) ?? 0) + 1)
    })
  }
  return {
    templateId: row.canonical_id,
    text: row.text,
    sampled,
    positions: counts.map((seen, position) => ({
      position,
      distinct: seen.size,
      values: [...seen]
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, topValues)
        .map(([value, count]) => ({ value, count }))
    }))
  }
}
