/**
 * The engine's worker threads as the last build bundled them (electron-vite writes
 * out/main/engine-workers.js). They start faster than the TypeScript entries, whose whole module
 * graph every worker strips of its types first (an ingest's first lines appear about 0.1–0.15 s
 * sooner here), but only a build newer than every file it was made from runs the code as it is
 * now: an older build is passed over, never trusted.
 */
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { IngestWorkerFactories } from '../core/ingest/start-ingest.ts'
import type { EngineWorkers } from '../core/workspace/workspace.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** What a build writes, and what it is made from. */
const buildOutputs = ['out/main/index.js', 'out/main/engine-workers.js', 'out/preload/index.cjs', 'out/renderer/index.html'].map((path) => join(root, path))
const buildInputs = ['src', 'electron.vite.config.ts', 'package.json', 'package-lock.json'].map((path) => join(root, path))

/** Whether a build exists that is newer than every source it depends on. */
export function buildIsFresh(): boolean {
  const builtAt = Math.min(...buildOutputs.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0)))
  return builtAt > 0 && newestMtime(buildInputs) <= builtAt
}

/** The build's workers when the build is fresh; undefined otherwise (the TypeScript entries are used). */
export async function freshBuiltWorkers(): Promise<EngineWorkers | undefined> {
  return buildIsFresh() ? builtWorkers() : undefined
}

/** The build's workers, for a caller that has just made sure the build is fresh. */
export async function builtWorkers(): Promise<EngineWorkers | undefined> {
  const built = (await import(join(root, 'out/main/engine-workers.js'))) as { engineWorkers?: EngineWorkers }
  return built.engineWorkers
}

function newestMtime(paths: readonly string[]): number {
  let newest = 0
  for (const path of paths) {
    if (!existsSync(path)) continue
    const stat = statSync(path)
    if (stat.isDirectory()) {
      const children = readdirSync(path)
        .filter((name) => !name.endsWith('.test.ts'))
        .map((name) => join(path, name))
      newest = Math.max(newest, newestMtime(children))
    } else newest = Math.max(newest, stat.mtimeMs)
  }
  return newest
}

/** The ingest's own factories among the engine's workers (none: the defaults). */
export function pickIngestWorkers(workers: EngineWorkers | undefined): IngestWorkerFactories {
  if (!workers) return {}
  return { createWorker: workers.createWorker, createCommitWorker: workers.createCommitWorker, createReaderWorker: workers.createReaderWorker }
}
