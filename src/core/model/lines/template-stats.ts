/** Per-template baseline statistics: how often, at which levels, and what its parameters held. */
import { levelNames } from '../../../shared/levels.ts'
import type { LevelCode } from '../../../shared/levels.ts'
import { ParamStats } from './param-stats.ts'
import type { ParamStatsSnapshot } from './param-stats.ts'
import { TimeSpread } from './time-spread.ts'
import type { TimeSpreadSnapshot } from './time-spread.ts'

export interface TemplateStatsSnapshot {
  id: number
  text: string
  count: number
  /** Count per level code. */
  levels: number[]
  params: ParamStatsSnapshot[]
  time: TimeSpreadSnapshot
  /** Where its lines sit among the reference's records (absent in models written before it). */
  positions?: TimeSpreadSnapshot
}

export class TemplateStats {
  readonly id: number
  text: string
  count = 0
  readonly levels = new Array<number>(levelNames.length).fill(0)
  params: ParamStats[] = []
  time = new TimeSpread()
  /** The same running spread over record positions: the log's own clock, busy stretches and all. */
  positions = new TimeSpread()

  constructor(id: number, text: string) {
    this.id = id
    this.text = text
  }

  observe(level: LevelCode, params: readonly string[], ts: number | null, position?: number): void {
    this.count++
    if (ts !== null) this.time.observe(ts)
    if (position !== undefined) this.positions.observe(position)
    this.levels[level] = (this.levels[level] ?? 0) + 1
    for (let i = 0; i < params.length; i++) {
      const stats = this.params[i] ?? (this.params[i] = new ParamStats())
      stats.observe(params[i] as string)
    }
  }

  /** The most severe level this template was seen at. */
  get maxLevel(): LevelCode {
    for (let code = this.levels.length - 1; code > 0; code--) if ((this.levels[code] ?? 0) > 0) return code
    return 0
  }

  toSnapshot(): TemplateStatsSnapshot {
    return {
      id: this.id,
      text: this.text,
      count: this.count,
      levels: [...this.levels],
      params: this.params.map((p) => p.toSnapshot()),
      time: this.time.toSnapshot(),
      positions: this.positions.toSnapshot()
    }
  }

  static fromSnapshot(snapshot: TemplateStatsSnapshot): TemplateStats {
    const stats = new TemplateStats(snapshot.id, snapshot.text)
    stats.count = snapshot.count
    snapshot.levels.forEach((count, code) => (stats.levels[code] = count))
    stats.params = snapshot.params.map((p) => ParamStats.fromSnapshot(p))
    stats.time = TimeSpread.fromSnapshot(snapshot.time)
    if (snapshot.positions) stats.positions = TimeSpread.fromSnapshot(snapshot.positions)
    return stats
  }
}
