export interface MinerSettings {
  /**
   * Distinct words a position must show across otherwise-identical templates before it is
   * treated as a variable. Two or three alternatives (`Starting`/`Ending`) are usually distinct
   * events; many (user names, hosts) are a parameter.
   */
  readonly minVariableValues: number
  /** Online templates created since the last compaction that trigger a new one (bounds memory). */
  readonly compactEvery: number
  /** Hard cap on live templates; beyond it new shapes share a catch-all per token count. */
  readonly maxTemplates: number
}

export const DEFAULT_MINER_SETTINGS: MinerSettings = Object.freeze({
  minVariableValues: 3,
  compactEvery: 2000,
  maxTemplates: 20_000
})
