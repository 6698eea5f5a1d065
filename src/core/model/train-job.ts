/**
 * Training off the main thread: the engine's thread serves the UI, and training on a large
 * baseline keeps a core busy for seconds. The worker trains and writes the model file; the
 * caller loads it.
 */
import { MessageChannel, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { localReader, remoteReader } from '../ingest/reader-side.ts'
import type { RecordReader } from '../ingest/reader-side.ts'
import { defaultReaderWorker } from '../ingest/start-ingest.ts'
import { CaseStore } from '../case/case-store.ts'
import { parseCheckpoint } from '../ingest/miner-checkpoint.ts'
import { StopFlag, retire, stopFlagOf, stopIfAsked } from '../platform/worker-stop.ts'
import { saveModel } from './model-file.ts'
import type { Model } from './model.ts'
import { trainModelFromCase } from './train-case.ts'
import { trainModel, wantsReaderThread } from './train.ts'
import type { TrainOptions } from './train.ts'

export interface TrainWorkerData {
  /** Baseline files; empty when learning from a case (`fromCase`). */
  paths: string[]
  /** Where the worker writes the model file. */
  out: string
  options: Pick<TrainOptions, 'mode' | 'format' | 'sessionKey' | 'multiline'>
  /** A port to a reader thread (see reader-side.ts), or undefined to read on the worker's own thread. */
  readerPort?: MessagePort | undefined
  /**
   * Learn from lines stored in a case instead of files (see train-case.ts); or, with `paths`,
   * seed the miner from the case's, so the model keeps the case's template ids.
   */
  fromCase?: { casePath: string; sourceId: number; selection?: CaseSelection | undefined; seedOnly?: boolean | undefined } | undefined
  /** A `StopFlag`'s buffer, raised to cancel (set by `trainInWorker`). */
  stop?: SharedArrayBuffer | undefined
}

/** A `RecordSelection` that can cross a thread boundary. */
export interface CaseSelection {
  lines?: { from: number; to: number } | undefined
  time?: { from: number; to: number } | undefined
  only?: number[] | undefined
}

type TrainEvent = { type: 'done' } | { type: 'error'; message: string } | { type: 'progress'; share: number }

export function defaultTrainWorker(workerData: TrainWorkerData, transferList: MessagePort[] = []): Worker {
  return new Worker(new URL('./train-worker.ts', import.meta.url), { workerData, transferList })
}

/** How a training's threads are started; the Electron bundle supplies its own. */
export interface TrainWorkerFactories {
  readonly createTrainWorker?: ((workerData: TrainWorkerData, transferList: MessagePort[]) => Worker) | undefined
  /** The reader thread beside it, for baselines big enough (see `wantsReaderThread`). */
  readonly createReaderWorker?: ((workerData: { port: MessagePort }, transferList: MessagePort[]) => Worker) | undefined
  /** Read on a thread of its own (default: when the baseline is big enough). */
  readonly readerThread?: boolean | undefined
}

/**
 * Trains in a worker thread; resolves once the model file is written. Aborting asks the worker to
 * stop and settles once it has ('training cancelled'), so no model file appears after.
 */
export async function trainInWorker(
  data: TrainWorkerData,
  workers: TrainWorkerFactories = {},
  signal?: AbortSignal,
  onShare?: (share: number) => void
): Promise<void> {
  // The train worker cannot start a reader of its own in a bundle: this thread starts it.
  const reading = workers.readerThread ?? (await wantsReaderThread(data.paths))
  const channel = reading ? new MessageChannel() : null
  const reader = channel && (workers.createReaderWorker ?? defaultReaderWorker)({ port: channel.port2 }, [channel.port2])
  const transfer = channel ? [channel.port1] : []
  const stop = new StopFlag()
  try {
    await new Promise<void>((resolve, reject) => {
      const worker = (workers.createTrainWorker ?? defaultTrainWorker)({ ...data, readerPort: channel?.port1, stop: stop.buffer }, transfer)
      let settled = false
      const fail = (error: Error): void => {
        if (settled) return
        settled = true
        void retire(worker)
        reject(error)
      }
      signal?.addEventListener('abort', () => {
        stop.raise()
        void retire(worker)
      })
      worker.on('message', (event: TrainEvent) => {
        if (event.type === 'progress') return onShare?.(event.share)
        settled = true
        if (event.type === 'done') resolve()
        else reject(new Error(event.message))
      })
      worker.on('error', fail)
      reader?.on('error', fail)
      worker.on('exit', (code) => fail(new Error(stop.aborted ? 'training cancelled' : `training worker exited with code ${code}`)))
    })
  } finally {
    // The worker closed its end of the reader's port: the reader exits by itself.
    if (reader) void retire(reader)
  }
}

/** The worker's side. */
export async function runTrainWorker(port: MessagePort, data: TrainWorkerData): Promise<void> {
  // Without a port, read on this thread: a bundled worker cannot start workers of its own.
  const reader = data.readerPort ? remoteReader(data.readerPort) : localReader
  // A hundred steps are plenty for a progress bar.
  let reported = -1
  const onShare = (share: number): void => {
    const step = Math.floor(share * 100)
    if (step === reported) return
    reported = step
    port.postMessage({ type: 'progress', share } satisfies TrainEvent)
  }
  try {
    const model = await train(data, reader, onShare)
    // Cancelled as training ended: no model file for the caller to find (or to clean up).
    stopIfAsked(stopFlagOf(data.stop), 'training')
    await saveModel(model, data.out)
    port.postMessage({ type: 'done' } satisfies TrainEvent)
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies TrainEvent)
  } finally {
    reader.close()
  }
}

async function train(data: TrainWorkerData, reader: RecordReader, onShare: (share: number) => void): Promise<Model> {
  const from = data.fromCase
  const signal = stopFlagOf(data.stop)
  if (!from) return trainModel(data.paths, { ...data.options, reader, onShare, signal })
  const store = CaseStore.open(from.casePath)
  try {
    if (!from.seedOnly) return trainModelFromCase(store, from.sourceId, { selection: from.selection, mode: data.options.mode, signal })
    const saved = store.minerState()
    return await trainModel(data.paths, { ...data.options, reader, onShare, signal, seedMiner: saved === null ? undefined : parseCheckpoint(saved).miner })
  } finally {
    store.close()
  }
}
