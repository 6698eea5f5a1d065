/**
 * Re-scoring off the main thread (the engine's thread serves the UI). Two worker threads by
 * default: the lead scores the first half of the source, a helper the second half (measured on
 * 1M lines, scoring is two thirds of a re-score and splits evenly), and the lead merges, scores
 * the sessions and commits in one transaction (rescore-source.ts). The threads talk over a
 * MessageChannel the caller sets up, so one worker factory (the Electron bundle's) serves both.
 * Cancelling raises a shared stop flag the threads read between blocks: nothing is written before
 * the final transaction, so a stopped re-score leaves the case its old scores, and one that had
 * committed already reports its result.
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { MessageChannel, Worker } from 'node:worker_threads'
import type { MessagePort } from 'node:worker_threads'
import { CaseStore } from '../case/case-store.ts'
import { StopFlag, retire, stopFlagOf } from '../platform/worker-stop.ts'
import { parseModel } from '../model/model-file.ts'
import type { Model } from '../model/model.ts'
import { prepareScoring, rescoreSource } from './rescore-source.ts'
import type { RescoreResult } from './rescore-source.ts'
import { scoreBlocks } from './score-blocks.ts'
import type { ScoredPart } from './score-blocks.ts'

export interface RescoreRequest {
  casePath: string
  sourceId: number
  /** The model file to score with. */
  modelPath: string
  /** Record the model as the case's active one (under this name) in the same transaction. */
  recordAs?: string | undefined
  /** The model file to record, when not the one scored with (a base model, scored with feedback). */
  recordFrom?: string | undefined
  /** 1 or 2 (default 2; small sources use one anyway). */
  threads?: number | undefined
}

export interface RescoreWorkerData extends RescoreRequest {
  role: 'lead' | 'helper'
  /** A `StopFlag`'s buffer: raised to cancel. */
  stop?: SharedArrayBuffer | undefined
}

type LeadEvent = { type: 'progress'; lines: number; total: number } | { type: 'done'; result: RescoreResult } | { type: 'error'; message: string }
type PeerMessage =
  | { type: 'range'; from: number }
  | { type: 'part'; part: ScoredPart }
  | { type: 'progress'; lines: number }
  | { type: 'error'; message: string }

export function defaultRescoreWorker(workerData: RescoreWorkerData): Worker {
  return new Worker(new URL('./rescore-worker.ts', import.meta.url), { workerData })
}

export interface RescoreJobOptions {
  /** The Electron bundle passes electron-vite's `?nodeWorker` factory for rescore-worker.ts. */
  createWorker?: ((workerData: RescoreWorkerData) => Worker) | undefined
  signal?: AbortSignal | undefined
  onProgress?: ((lines: number, total: number) => void) | undefined
}

export function rescoreInWorker(request: RescoreRequest, options: RescoreJobOptions = {}): Promise<RescoreResult> {
  const create = options.createWorker ?? defaultRescoreWorker
  const stop = new StopFlag()
  const lead = create({ ...request, role: 'lead', stop: stop.buffer })
  const workers = [lead]
  if ((request.threads ?? 2) > 1) {
    const helper = create({ ...request, role: 'helper', stop: stop.buffer })
    workers.push(helper)
    const channel = new MessageChannel()
    lead.postMessage({ peer: channel.port1 }, [channel.port1])
    helper.postMessage({ peer: channel.port2 }, [channel.port2])
    // The helper's failures reach the lead through the port; a crash shows as the lead waiting.
    helper.on('error', () => {})
  } else lead.postMessage({ peer: null })
  return new Promise<RescoreResult>((resolve, reject) => {
    let settled = false
    const settle = (fn: () => void): void => {
      if (settled) return
      settled = true
      // Both have finished or been told to stop; they close the case and exit by themselves.
      for (const w of workers) void retire(w)
      fn()
    }
    // The lead answers once stopped ('re-score cancelled'), or with its result if it had committed.
    options.signal?.addEventListener('abort', () => {
      stop.raise()
      void retire(lead)
    })
    lead.on('message', (event: LeadEvent) => {
      if (event.type === 'progress') options.onProgress?.(event.lines, event.total)
      else if (event.type === 'done') settle(() => resolve(event.result))
      else settle(() => reject(new Error(event.message)))
    })
    lead.on('error', (error) => settle(() => reject(error)))
    lead.on('exit', (code) => settle(() => reject(new Error(stop.aborted ? 're-score cancelled' : `re-score worker exited with code ${code}`))))
    for (const w of workers) w.on('exit', () => {})
  })
}

/** The workers' side: wait for the peer port, then lead or help. */
export function runRescoreWorker(port: MessagePort, data: RescoreWorkerData): void {
  port.once('message', (message: { peer: MessagePort | null }) => {
    if (data.role === 'lead') void lead(port, data, message.peer)
    else if (message.peer) help(message.peer, data)
  })
}

function loadModelText(path: string): { model: Model; text: string } {
  const text = readFileSync(path, 'utf8')
  return { model: parseModel(text, path), text }
}

async function lead(port: MessagePort, data: RescoreWorkerData, peer: MessagePort | null): Promise<void> {
  let store: CaseStore | undefined
  let helperLines = 0
  try {
    store = CaseStore.open(data.casePath)
    const { model, text } = loadModelText(data.modelPath)
    const helper =
      peer &&
      ((from: number): Promise<ScoredPart> =>
        new Promise((resolve, reject) => {
          peer.on('message', (message: PeerMessage) => {
            if (message.type === 'part') resolve(message.part)
            else if (message.type === 'progress') helperLines = message.lines
            else if (message.type === 'error') reject(new Error(message.message))
          })
          // A helper thread that dies (out of memory, say) closes its end without a word.
          peer.once('close', () => reject(new Error('the second re-score thread stopped')))
          peer.postMessage({ type: 'range', from } satisfies PeerMessage)
        }))
    let lastReport = 0
    const result = await rescoreSource(
      store,
      data.sourceId,
      model,
      {
        signal: stopFlagOf(data.stop),
        record:
          data.recordAs === undefined
            ? undefined
            : { name: data.recordAs || basename(data.modelPath), snapshot: data.recordFrom === undefined ? text : readFileSync(data.recordFrom, 'utf8') },
        onProgress: (lines, total) => {
          const now = performance.now()
          if (now - lastReport < 100) return
          lastReport = now
          port.postMessage({ type: 'progress', lines: lines + helperLines, total } satisfies LeadEvent)
        }
      },
      helper ?? undefined
    )
    port.postMessage({ type: 'done', result } satisfies LeadEvent)
  } catch (error) {
    port.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies LeadEvent)
  } finally {
    peer?.close()
    store?.close()
  }
}

function help(peer: MessagePort, data: RescoreWorkerData): void {
  // Open and parse while the lead decides where to split.
  let prepared: { store: CaseStore; model: Model } | undefined
  let failure: unknown
  try {
    prepared = { store: CaseStore.open(data.casePath), model: loadModelText(data.modelPath).model }
  } catch (error) {
    failure = error
  }
  const release = (): void => {
    prepared?.store.close()
    prepared = undefined
  }
  // A lead that needs no help (a small source), or failed, closes the port: close the case and exit.
  peer.once('close', release)
  peer.on('message', (message: PeerMessage) => {
    if (message.type !== 'range') return
    try {
      if (!prepared) throw failure
      const { store, model } = prepared
      const { map, scorer, splitter } = prepareScoring(store, data.sourceId, model)
      let last = 0
      const part = scoreBlocks(store.db, data.sourceId, scorer, map, splitter, {
        from: message.from,
        signal: stopFlagOf(data.stop),
        onBlock: (lines) => {
          if (lines - last < 16_384) return
          last = lines
          peer.postMessage({ type: 'progress', lines } satisfies PeerMessage)
        }
      })
      peer.postMessage({ type: 'part', part } satisfies PeerMessage, part.blocks.map((b) => b.scores.buffer as ArrayBuffer))
    } catch (error) {
      peer.postMessage({ type: 'error', message: error instanceof Error ? error.message : String(error) } satisfies PeerMessage)
    } finally {
      release()
      peer.close()
    }
  })
}
