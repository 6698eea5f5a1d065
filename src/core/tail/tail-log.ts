/**
 * Live tail of one log: a `FileFollower` feeding a `LiveScorer`, batch by batch. What scores the
 * lines:
 *  - a model given (`faultline train`): it does, from the first line followed.
 *  - no model, and the file already holds at least `warmupLines` lines: those lines are the
 *    reference. A model is trained on the file as it is when the follow starts (baseline mode:
 *    templates it never held are flagged as new), then only lines appended afterwards are
 *    scored. Lines appended while that training runs are both in the reference and scored.
 *  - no model and a shorter (or missing) file: warm-up. The file is followed from its start
 *    and its first `warmupLines` lines are learnt, not scored (they are the reference); lines
 *    after them are scored. Until then no alert can be raised (`TailBatch.warmingUp`).
 * The layout is detected from the start of the file (as a scan would), else from the first
 * lines followed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { looksLikeContinuation, readLineBatches } from '../read/index.ts'
import type { Model } from '../model/model.ts'
import { trainModel } from '../model/train.ts'
import { checkFollowable, followFile } from './follow-file.ts'
import type { FileFollower, FollowChange, FollowedLine } from './follow-file.ts'
import { LiveScorer } from './live-scorer.ts'
import type { LiveAlert, ScoredLine } from './live-scorer.ts'

export interface TailOptions {
  readonly model?: Model | null | undefined
  /** Where the follow begins when a model is given (see `FollowOptions.from`). */
  readonly from?: 'end' | 'start' | number | undefined
  readonly format?: string | undefined
  readonly multiline?: boolean | undefined
  /** Lines a reference needs when no model is given (default 2,000). */
  readonly warmupLines?: number | undefined
  /** Overrides the model's line threshold (whichever model scores). */
  readonly threshold?: number | undefined
  readonly pollMs?: number | undefined
  readonly signal?: AbortSignal | undefined
  readonly onChange?: ((change: FollowChange) => void) | undefined
  /** Told before a reference model is trained (the file's lines, or the warm-up's), which takes a while on a big file. */
  readonly onTraining?: ((reference: ReferenceKind) => void) | undefined
}

export type ReferenceKind = 'model' | 'existing-lines' | 'warm-up'

export interface TailBatch {
  /** Every followed line with its score; empty during warm-up. */
  readonly lines: readonly ScoredLine[]
  readonly alerts: readonly LiveAlert[]
  /** `performance.timeOrigin + performance.now()` when the batch was read and scored. */
  readonly scoredAt: number
  /** Lines still to learn before scoring starts (0 once scoring). */
  readonly warmingUp: number
}

export interface LogTail {
  readonly follower: FileFollower
  /** What the lines are judged against (see the module comment). */
  readonly reference: ReferenceKind
  /** The header layout, once known. */
  readonly layout: () => string | null
  readonly batches: AsyncIterable<TailBatch>
  close(): void
}

const defaultWarmupLines = 2_000
/** Lines read from the start of the file to detect its layout (as a scan reads). */
const layoutSampleLines = 2_000

export async function startTail(path: string, options: TailOptions = {}): Promise<LogTail> {
  const warmupLines = options.warmupLines ?? defaultWarmupLines
  await checkFollowable(path)
  const head = await readHead(path, Math.max(layoutSampleLines, warmupLines))
  const model = options.model ?? null
  const reference: ReferenceKind = model ? 'model' : head.lines >= warmupLines ? 'existing-lines' : 'warm-up'
  const follower = followFile(path, {
    from: reference === 'warm-up' ? 'start' : options.from,
    pollMs: options.pollMs,
    signal: options.signal,
    onChange: options.onChange
  })
  // Settle the start before training, so no line appended meanwhile is missed.
  await follower.start()
  let scorer: LiveScorer | null = null
  const makeScorer = (m: Model, sample: readonly string[]): LiveScorer => {
    if (options.threshold !== undefined) m.settings = { ...m.settings, lineThreshold: options.threshold }
    return new LiveScorer({ model: m, format: options.format, multiline: options.multiline, sample: sample.length > 0 ? sample : undefined })
  }
  try {
    if (model) scorer = makeScorer(model, head.sample)
    else if (reference === 'existing-lines') {
      options.onTraining?.(reference)
      scorer = makeScorer(await trainModel([path], { mode: 'baseline', format: options.format, multiline: options.multiline }), head.sample)
    }
  } catch (error) {
    follower.close()
    throw error
  }

  async function* batches(): AsyncGenerator<TailBatch> {
    const learnt: string[] = []
    for await (const followed of follower.batches()) {
      let lines: readonly FollowedLine[] = followed
      if (scorer === null) {
        const take = Math.min(lines.length, warmupLines - learnt.length)
        for (let i = 0; i < take; i++) learnt.push((lines[i] as FollowedLine).text)
        lines = lines.slice(take)
        if (learnt.length >= warmupLines) {
          options.onTraining?.(reference)
          scorer = makeScorer(await trainOn(learnt, options), learnt)
        }
        else {
          yield { lines: [], alerts: [], scoredAt: now(), warmingUp: warmupLines - learnt.length }
          continue
        }
      }
      const scored = scorer.score(lines)
      yield { lines: scored, alerts: scorer.alerts(scored), scoredAt: now(), warmingUp: 0 }
    }
  }

  return { follower, reference, layout: () => scorer?.layout ?? null, batches: batches(), close: () => follower.close() }
}

function now(): number {
  return performance.timeOrigin + performance.now()
}

/** The first lines of the file (layout sample: record starts only) and how many there are. */
async function readHead(path: string, max: number): Promise<{ sample: string[]; lines: number }> {
  const sample: string[] = []
  let lines = 0
  try {
    for await (const batch of readLineBatches(path)) {
      for (const l of batch) {
        if (lines >= max) break
        lines++
        if (sample.length < layoutSampleLines && !looksLikeContinuation(l.text)) sample.push(l.text)
      }
      if (lines >= max) break
    }
  } catch (error) {
    // Not there yet: the follow waits for it.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  return { sample, lines }
}

/** Trains a reference model on lines held in memory (through a temporary file). */
async function trainOn(lines: readonly string[], options: TailOptions): Promise<Model> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-tail-'))
  try {
    const file = join(dir, 'warm-up.log')
    await writeFile(file, lines.join('\n') + '\n')
    return await trainModel([file], { mode: 'baseline', format: options.format, multiline: options.multiline })
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
