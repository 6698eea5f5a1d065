import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { CaseStore } from '../case/case-store.ts'
import type { TemplateMiner } from '../mine/index.ts'
import { ModelFileError, parseModel } from '../model/model-file.ts'
import type { Model } from '../model/model.ts'
import { neutralScorer } from '../model/line-scorer.ts'
import type { LineScorer } from '../model/line-scorer.ts'
import { assertNever } from '../../shared/assert-never.ts'
import type { ScorerSpec } from './types.ts'

/** What a scorer brings to an ingest besides scoring. */
export interface Scoring {
  readonly scorer: LineScorer
  /**
   * The miner a new case starts from. A model scores by template id, so the case must mine with
   * the model's templates (same ids); later sources and resumes go on from the case's own state.
   */
  readonly seedMiner?: (() => TemplateMiner) | undefined
  /** How often the model's reference saw a template (the case's `baseline_count`). */
  readonly baselineCount?: ((templateId: number) => number | null) | undefined
  /** The model: its name, a digest of its file, and the file's text when the case should record it. */
  readonly model?: ScoringModel | undefined
  /** The model itself: its session key, and what sessions and windows are scored against. */
  readonly reference?: Model | undefined
}

export interface ScoringModel {
  readonly name: string
  readonly digest: string
  readonly record?: string | undefined
}

/**
 * Builds the scorer a spec names, inside the thread that will use it. Without a spec, an
 * existing case's own model (recorded by an earlier ingest) scores, so a resumed or added
 * source is judged like the rest of the case; `{ kind: 'neutral' }` scores nothing.
 */
export async function prepareScoring(spec: ScorerSpec | undefined, casePath: string): Promise<Scoring> {
  if (spec === undefined) {
    const recorded = existsSync(casePath) ? caseModel(casePath) : null
    return recorded ? fromModel(parseModel(recorded.snapshot, `the model recorded in ${casePath}`), recorded.name, recorded.snapshot, false) : { scorer: neutralScorer }
  }
  switch (spec.kind) {
    case 'neutral':
      return { scorer: neutralScorer }
    case 'model': {
      let text: string
      try {
        text = await readFile(spec.path, 'utf8')
      } catch (error) {
        throw new ModelFileError(`Cannot read model ${spec.path}: ${error instanceof Error ? error.message : String(error)}`)
      }
      return fromModel(parseModel(text, spec.path), basename(spec.path), text, true)
    }
    default:
      return assertNever(spec)
  }
}

function fromModel(model: Model, name: string, text: string, record: boolean): Scoring {
  return {
    scorer: model.lineModel(),
    seedMiner: () => model.miner(),
    baselineCount: (id) => model.templates.get(id)?.count ?? null,
    reference: model,
    model: { name, digest: createHash('sha256').update(text).digest('hex'), record: record ? text : undefined }
  }
}

function caseModel(casePath: string): { name: string; snapshot: string } | null {
  const store = CaseStore.open(casePath)
  try {
    return store.activeModel()
  } finally {
    store.close()
  }
}
