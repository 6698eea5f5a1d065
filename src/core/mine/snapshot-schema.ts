import { z } from 'zod'
import type { MinerSnapshot } from './miner.ts'

const settings = z.object({
  minVariableValues: z.number().int().positive(),
  compactEvery: z.number().int().positive(),
  maxTemplates: z.number().int().positive()
})

const cluster = z.object({
  id: z.number().int().nonnegative(),
  tokens: z.array(z.string()),
  count: z.number().int().nonnegative(),
  parent: z.number().int().nonnegative(),
  general: z.boolean(),
  shape: z.number().int()
})

const snapshot = z.object({
  version: z.literal(1),
  settings,
  clusters: z.array(cluster),
  createdSinceCompact: z.number().int().nonnegative(),
  liveAfterCompact: z.number().int().nonnegative(),
  overflow: z.array(z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]))
})

/** Validates stored JSON before `TemplateMiner.fromSnapshot` trusts it. */
export function parseMinerSnapshot(json: unknown): MinerSnapshot {
  const result = snapshot.safeParse(json)
  if (!result.success) {
    const version = (json as { version?: unknown } | null)?.version
    throw new Error(version !== 1 ? `unsupported miner snapshot version ${String(version)}` : `invalid miner snapshot: ${result.error.message}`)
  }
  return result.data
}
