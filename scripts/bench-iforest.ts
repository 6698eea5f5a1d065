/**
 * Isolation Forest scoring speed on 100k synthetic masked lines:
 * `node_modules/.bin/node scripts/bench-iforest.ts [lines]`.
 * Two synthetic sets (few and many templates). Prints TF-IDF transform, batch scoring of the
 * vectorised rows, scoring every row on its own, and single-row latency.
 * Kept short (a few seconds) for a shared machine.
 */
import { fitIsolationForest } from '../src/core/model/iforest/index.ts'
import { Prng } from '../src/core/model/iforest/prng.ts'
import { csrRow, fitTfidf } from '../src/core/model/tfidf/index.ts'

const N = Number(process.argv[2] ?? 100_000)
const rng = new Prng(2026)
const pick = <T>(items: readonly T[]): T => items[rng.nextBelow(items.length)] as T

// Few templates (7, ~70 terms) with Zipf-like frequencies and a few literal variants.
const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta', 'iota', 'kappa']
const TEMPLATES: ((r: Prng) => string[])[] = [
  () => ['INFO', 'dfs.DataNode$DataXceiver:', 'Receiving', 'block', 'blk_<*>', 'src:', '/<*>:<*>', 'dest:', '/<*>:<*>'],
  () => ['INFO', 'dfs.DataNode$PacketResponder:', 'PacketResponder', '<*>', 'for', 'block', 'blk_<*>', 'terminating'],
  () => ['INFO', 'dfs.FSNamesystem:', 'BLOCK*', 'NameSystem.addStoredBlock:', 'blockMap', 'updated:', '<*>:<*>', 'is', 'added', 'to', 'blk_<*>', 'size', '<*>'],
  () => ['INFO', 'http', pick(['GET', 'POST', 'PUT']), `/api/${pick(WORDS)}`, 'status', pick(['200', '201', '304', '404']), 'in', '<*>', 'ms'],
  () => ['DEBUG', 'cache', pick(['hit', 'miss']), 'for', 'key', pick(WORDS), pick(WORDS), 'after', '<*>', 'lookups'],
  () => ['WARN', 'worker', pick(WORDS), 'slow', 'heartbeat', '<*>', 'ms', ...(rng.nextDouble() < 0.5 ? ['retrying'] : [])],
  () => ['ERROR', pick(WORDS), 'failed:', pick(['timeout', 'refused', 'reset', 'EOF']), pick(WORDS), '<*>']
]
const WEIGHTS = [40, 20, 12, 10, 8, 6, 4]
const total = WEIGHTS.reduce((a, b) => a + b, 0)
function line(): string[] {
  let r = rng.nextBelow(total)
  for (let t = 0; t < TEMPLATES.length; t++) {
    const w = WEIGHTS[t] ?? 0
    if (r < w) return (TEMPLATES[t] ?? (() => []))(rng)
    r -= w
  }
  return []
}
const few = Array.from({ length: N }, line)

// Many templates (~300, Zipf-like, ~1,000 terms): closer to a real service's vocabulary.
const TEMPLATE_WORDS = Array.from({ length: 300 }, () =>
  Array.from({ length: 4 + rng.nextBelow(10) }, () => `w${rng.nextBelow(1200)}`)
)
const many = Array.from({ length: N }, () => {
  const u = rng.nextDouble()
  return [...(TEMPLATE_WORDS[Math.floor(300 * u * u * u)] ?? []), '<*>', pick(['ok', 'ok', 'ok', 'retry'])]
})

const time = <T>(f: () => T): [T, number] => {
  const t0 = performance.now()
  const out = f()
  return [out, performance.now() - t0]
}
const perSec = (ms: number): string => `${Math.round((N / ms) * 1000).toLocaleString('en-US')} lines/s`

function bench(name: string, docs: string[][]): void {
  const distinct = new Set(docs.map((d) => d.join(' '))).size
  const [tfidf, fitTfidfMs] = time(() => fitTfidf(docs))
  const [x, transformMs] = time(() => tfidf.transform(docs))
  const [forest, fitMs] = time(() => fitIsolationForest(x, { randomSeed: 42, contamination: 0.05 }))

  forest.scoreSamples(x) // warm-up
  const runs: number[] = []
  for (let k = 0; k < 3; k++) runs.push(time(() => forest.scoreSamples(x))[1])
  const scoreMs = Math.min(...runs)

  // Worst case, no repeats to share: every row scored on its own.
  const rows = Array.from({ length: N }, (_, i) => csrRow(x, i))
  let sink = 0
  const [, walkMs] = time(() => {
    for (const row of rows) sink += forest.scoreRow(row)
  })
  if (!Number.isFinite(sink)) throw new Error('bad score')

  // Single-row latency after warm-up, on rows taken from the batch.
  const lat: number[] = []
  for (let i = 0; i < 20_000; i++) {
    const row = rows[(i * 7919) % N]
    if (row === undefined) continue
    const t0 = performance.now()
    forest.scoreRow(row)
    lat.push(performance.now() - t0)
  }
  lat.sort((a, b) => a - b)
  const q = (p: number): number => (lat[Math.floor(p * (lat.length - 1))] ?? 0) * 1000

  console.log(`\n## ${name}: ${N.toLocaleString('en-US')} lines, ${distinct} distinct masked lines, ${tfidf.nFeatures} terms`)
  console.log(`forest: ${forest.nEstimators} trees, ${forest.nNodes} nodes, maxSamples ${forest.maxSamples}, sparse exit leaves: ${forest.usesSparseExitLeaves}`)
  console.log(`tfidf fit ${fitTfidfMs.toFixed(0)} ms; transform ${transformMs.toFixed(0)} ms (${perSec(transformMs)})`)
  console.log(`forest fit ${fitMs.toFixed(0)} ms (includes scoring all rows once for the offset)`)
  console.log(`batch scoreSamples (repeated rows scored once): ${((scoreMs * 1e6) / N).toFixed(0)} ns/line = ${perSec(scoreMs)}`)
  console.log(`every row scored on its own (no repeats): ${((walkMs * 1e6) / N).toFixed(0)} ns/line = ${perSec(walkMs)}`)
  console.log(`single scoreRow: p50 ${q(0.5).toFixed(2)} µs, p99 ${q(0.99).toFixed(2)} µs`)
}

bench('few templates', few)
bench('many templates', many)
