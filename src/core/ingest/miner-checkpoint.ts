/**
 * The miner's state as saved in the case (`miner_state`; one miner per case, shared by its
 * sources so their template ids agree), with the position it belongs to.
 *
 * What is consistent after `kill -9`: every save happens inside the same transaction as a block
 * commit, and only between records, so the saved snapshot is exactly the miner after the first
 * `mined[s]` lines of each source s. The source's blocks, its `lines`/`bytes_read` and its
 * anomalies are committed in that same transaction, so they always agree with each other; the
 * snapshot may lag behind them, because saves are rarer than commits when a snapshot is costly.
 * A resume therefore restores the snapshot, feeds the miner the records between `mined[s]` and
 * the committed line count again (without writing them: their blocks, scores and anomalies are
 * already in the case), then goes on writing after the last committed line. Lines appended after
 * the last commit were never visible and are simply read again. Template first/last timestamps
 * ride along, indexed by raw template id. (One ingest per case at a time: two would race on it.)
 */
import { TemplateMiner } from '../mine/index.ts'
import type { MinerSnapshot } from '../mine/index.ts'
import { grownTo } from '../../shared/typed-array.ts'


export interface MinerCheckpoint {
  readonly version: 1
  /** Lines of each source (by id) the snapshot has seen. */
  readonly mined: Readonly<Record<string, number>>
  /** Digest of the model the miner was seeded from (its template ids are the model's), or null. */
  readonly seed?: string | null | undefined
  readonly miner: MinerSnapshot
  /** Records per raw template id in this case, and first and last timestamp (null: none seen). */
  readonly counts: readonly number[]
  readonly firstTs: readonly (number | null)[]
  readonly lastTs: readonly (number | null)[]
}

export function parseCheckpoint(json: string): MinerCheckpoint {
  const value = JSON.parse(json) as Partial<MinerCheckpoint>
  if (value.version !== 1 || typeof value.mined !== 'object' || value.mined === null || !value.miner) {
    throw new Error('the case holds a miner state this version cannot read')
  }
  return value as MinerCheckpoint
}

/**
 * Records, first and last timestamp per raw template id, counted by the pipeline: the miner's
 * own counts include a model's reference lines when it was seeded from one.
 */
export class TemplateTally {
  counts = new Float64Array(256)
  first = new Float64Array(256).fill(Number.NaN)
  last = new Float64Array(256).fill(Number.NaN)

  static from(checkpoint: MinerCheckpoint): TemplateTally {
    const tally = new TemplateTally()
    checkpoint.firstTs.forEach((t, id) => tally.#set(id, checkpoint.counts[id] ?? 0, t ?? Number.NaN, checkpoint.lastTs[id] ?? Number.NaN))
    return tally
  }

  see(id: number, ts: number): void {
    if (id >= this.first.length) this.#grow(id + 1)
    this.counts[id] = (this.counts[id] as number) + 1
    if (ts !== ts) return
    const first = this.first[id] as number
    if (!(first <= ts)) this.first[id] = ts
    const last = this.last[id] as number
    if (!(last >= ts)) this.last[id] = ts
  }

  toJson(ids: number): { counts: number[]; firstTs: (number | null)[]; lastTs: (number | null)[] } {
    const pick = (array: Float64Array, id: number): number | null => {
      const t = id < array.length ? (array[id] as number) : Number.NaN
      return t === t ? t : null
    }
    return {
      counts: Array.from({ length: ids }, (_, id) => (id < this.counts.length ? (this.counts[id] as number) : 0)),
      firstTs: Array.from({ length: ids }, (_, id) => pick(this.first, id)),
      lastTs: Array.from({ length: ids }, (_, id) => pick(this.last, id))
    }
  }

  #set(id: number, count: number, first: number, last: number): void {
    if (id >= this.first.length) this.#grow(id + 1)
    this.counts[id] = count
    this.first[id] = first
    this.last[id] = last
  }

  #grow(size: number): void {
    const capacity = Math.max(size, this.first.length * 2)
    const known = this.first.length
    this.counts = grownTo(this.counts, capacity)
    // Templates not seen yet have no first or last time.
    this.first = grownTo(this.first, capacity).fill(Number.NaN, known)
    this.last = grownTo(this.last, capacity).fill(Number.NaN, known)
  }
}

/** The case's miner: as last saved, else the seed (a model's miner), else a new one. */
export function restoreMiner(checkpoint: MinerCheckpoint | undefined, seed?: () => TemplateMiner): TemplateMiner {
  if (checkpoint) return TemplateMiner.fromSnapshot(checkpoint.miner)
  return seed?.() ?? new TemplateMiner()
}
