/**
 * Training off the main thread: the engine's thread serves the UI, and training on a large
 * baseline keeps a core busy for seconds. The worker trains and writes the model file; the
 * caller loads it.
 */
import { Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { CaseStore } from '../case/case-store.ts'
import { parseCheckpoint } from '../ingest/miner-checkpoint.ts'
import { saveModel } from './model-file.ts'
import type { Model } from './model.ts'
import { trainModelFromCase } from './train-case.ts'
import { trainModel } from './train.ts'
import type { TrainOptions } from './train.ts'

export interface TrainWorkerData {
  /** Baseline files; empty when learning from a case (`fromCase`). */
  paths: string[]
  /** Where the worker writes the model file. */
  out: string
  options: Pick<TrainOptions, 'mode' | 'format' | 'sessionKey' | 'multiline'>
  /**
   * Learn from lines stored in a case instead of files (see train-case.ts); or, with `paths`,
   * seed the miner from the case's, so the model keeps the case's template ids.
   */
  fromCase?: { casePath: string; sourceId: number; selection?: CaseSelection | undefined; seedOnly?: boolean | undefined } | undefined
}

/** A `RecordSelection` that can cross a thread boundary. */
export interface CaseSelection {
  lines?: { from: number; to: number } | undefined
  time?: { from: number; to: number } | undefined
  only?: number[] | undefined
}

type TrainEvent = { type: 'done' } | { type: 'error'; message: string }

export function defaultTrainWorker(workerData: TrainWorkerData): Worker {
  return new Worker(new URL('./train-worker.ts', import.meta.url), { workerData })
}

/** Trains in a worker thread; resolves once the model file is written. Aborting stops the worker. */
export function trainInWorker(
  data: TrainWorkerData,
  createWorker: (data: TrainWorkerData) => Worker = defaultTrainWorker,
  signal?: AbortSignal
): Promise<void> {
  return new Promise((resolve, reject) => {
    const worker = createWorker(data)
    let settled = false
    signal?.addEventListener('abort', () => {
      if (settled) return
      settled = true
      void worker.terminate()
      reject(new Error('training cancelled'))
    })
    worker.on('message', (event: TrainEvent) => {
      settled = true
      if (event.type === 'done') resolve()
      else reject(new Error(event.message))
    })
    worker.on('error', (error) => {
      settled = true
      reject(error)
    })
    worker.on('exit', (code) => {
      if (!settled) reject(new Error(`training worker exited with code ${code}`))
    })
  })
}

/** The worker's side. */
export async function runTrainWorker(port: MessagePort, data: TrainWorkerData): Promise<void> {
  try {
    await saveModel(await train(data), data.out)
    port.postMessage({ type: 'done' } satisfies TrainEvent)
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies TrainEvent)
  }
}

async function train(data: TrainWorkerData): Promise<Model> {
  const from = data.fromCase
  if (!from) return trainModel(data.paths, data.options)
  const store = CaseStore.open(from.casePath)
  try {
    if (!from.seedOnly) return trainModelFromCase(store, from.sourceId, { selection: from.selection, mode: data.options.mode })
    const saved = store.minerState()
    return await trainModel(data.paths, { ...data.options, seedMiner: saved === null ? undefined : parseCheckpoint(saved).miner })
  } finally {
    store.close()
  }
}
