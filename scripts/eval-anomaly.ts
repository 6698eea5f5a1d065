/**
 * Anomaly-detection evaluation.
 *   npm run eval:anomaly -- <datasets dir>
 * Looks under the folder for:
 *   - an HDFS session set (baseline.log, incident.log, labels.csv with BlockId,Label): trains on
 *     the baseline, scans the incident; a block counts as flagged when its session or any line
 *     naming it is flagged. Reports our default with the baseline, self-trained (no baseline),
 *     and the masked TF-IDF + isolation forest family alone (contamination 0.05, seed 42).
 *   - a Loghub BGL sample (BGL_2k.log, whose first token is the alert label, "-" for normal):
 *     the label is stripped before scoring; self-trained line-level precision, recall, F1, ROC-AUC.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { maskContent } from '../src/core/mine/index.ts'
import { fitTfidfForest } from '../src/core/model/iforest/index.ts'
import { scanFile } from '../src/core/model/scan.ts'
import type { LineResult } from '../src/core/model/scan.ts'
import { trainModel } from '../src/core/model/train.ts'
import { openRecordStream } from '../src/core/parse/index.ts'

const root = process.argv[2]
if (!root || !existsSync(root)) {
  console.error('usage: npm run eval:anomaly -- <datasets dir>')
  process.exit(2)
}

interface Counts {
  tp: number
  fp: number
  fn: number
}

function tally(c: Counts, flagged: boolean, anomalous: boolean): void {
  if (flagged && anomalous) c.tp++
  else if (flagged) c.fp++
  else if (anomalous) c.fn++
}

function prf({ tp, fp, fn }: Counts): string {
  const p = tp + fp > 0 ? tp / (tp + fp) : 0
  const r = tp + fn > 0 ? tp / (tp + fn) : 0
  const f1 = p + r > 0 ? (2 * p * r) / (p + r) : 0
  return `precision ${p.toFixed(3)}  recall ${r.toFixed(3)}  F1 ${f1.toFixed(3)}  (tp ${tp}, fp ${fp}, fn ${fn})`
}

function findDirs(dir: string, test: (d: string) => boolean, depth = 3): string[] {
  const found = test(dir) ? [dir] : []
  if (depth === 0) return found
  for (const name of readdirSync(dir)) {
    const child = join(dir, name)
    if (statSync(child).isDirectory()) found.push(...findDirs(child, test, depth - 1))
  }
  return found
}

async function evalSessions(dir: string): Promise<void> {
  const labels = new Map<string, boolean>()
  for (const line of readFileSync(join(dir, 'labels.csv'), 'utf8').trim().split('\n').slice(1)) {
    const [id, label] = line.split(',')
    if (id && label) labels.set(id.trim(), label.trim() === 'Anomaly')
  }
  const score = (flagged: Set<string>): Counts => {
    const c: Counts = { tp: 0, fp: 0, fn: 0 }
    for (const [id, anomalous] of labels) {
      tally(c, flagged.has(id), anomalous)
    }
    return c
  }
  const baseline = join(dir, 'baseline.log')
  const incident = join(dir, 'incident.log')
  console.log(`\n${dir}: ${labels.size} labelled sessions, ${[...labels.values()].filter(Boolean).length} anomalous`)

  const started = performance.now()
  const model = await trainModel([baseline])
  const trainMs = performance.now() - started
  for (const [name, active] of [['with baseline', model], ['self-trained', null]] as const) {
    const t = performance.now()
    const flagged = new Set<string>()
    const result = await scanFile(incident, active, {
      onBatch: (lines: LineResult[]) => {
        for (const line of lines) if (line.anomaly) for (const id of line.sessions) flagged.add(id)
      }
    })
    for (const session of result.sessions) if (session.anomaly) flagged.add(session.id)
    console.log(`  ${name.padEnd(22)} ${prf(score(flagged))}  [${(performance.now() - t).toFixed(0)} ms scan]`)
  }
  console.log(`  (training on the baseline: ${trainMs.toFixed(0)} ms, session key: ${model.sessionKey?.name ?? 'none'})`)

  // The classic recipe alone: masked TF-IDF + isolation forest, a line flagged when predict = -1.
  const masked = async (path: string): Promise<{ tokens: string[]; text: string }[]> => {
    const stream = await openRecordStream(path)
    const out: { tokens: string[]; text: string }[] = []
    for await (const batch of stream.batches) {
      for (const record of batch) {
        out.push({ tokens: maskContent(stream.splitter.split(record.head.text).content).split(/\s+/), text: record.head.text })
      }
    }
    return out
  }
  const train = await masked(baseline)
  const test = await masked(incident)
  const forest = fitTfidfForest(train.map((l) => l.tokens), { forest: { contamination: 0.05, randomSeed: 42 } })
  const { decision } = forest.score(test.map((l) => l.tokens))
  const flagged = new Set<string>()
  test.forEach((line, i) => {
    if ((decision[i] as number) < 0) for (const id of line.text.match(/blk_-?\d+/g) ?? []) flagged.add(id)
  })
  console.log(`  ${'TF-IDF + iForest only'.padEnd(22)} ${prf(score(flagged))}`)
}

async function evalBgl(path: string): Promise<void> {
  const raw = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0)
  const labels = raw.map((l) => l.slice(0, l.indexOf(' ')) !== '-')
  const work = mkdtempSync(join(tmpdir(), 'faultline-eval-'))
  try {
    // The first token is ground truth, not log: strip it before the engine sees the file.
    const stripped = join(work, 'bgl.log')
    writeFileSync(stripped, raw.map((l) => l.slice(l.indexOf(' ') + 1)).join('\n') + '\n')
    const scores = new Float64Array(raw.length)
    const flags = new Uint8Array(raw.length)
    await scanFile(stripped, null, {
      onBatch: (lines) => {
        for (const line of lines) {
          for (let i = 0; i < line.span; i++) {
            scores[line.line - 1 + i] = line.score
            flags[line.line - 1 + i] = line.anomaly ? 1 : 0
          }
        }
      }
    })
    const c: Counts = { tp: 0, fp: 0, fn: 0 }
    labels.forEach((anomalous, i) => tally(c, flags[i] === 1, anomalous))
    console.log(`\n${path}: ${raw.length} lines, ${labels.filter(Boolean).length} alerts (label stripped before scoring)`)
    console.log(`  ${'self-trained, lines'.padEnd(22)} ${prf(c)}  ROC-AUC ${rocAuc(scores, labels).toFixed(3)}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** Probability that a random anomalous line outscores a random normal one (ties count half). */
function rocAuc(scores: Float64Array, labels: boolean[]): number {
  const order = [...scores.keys()].sort((a, b) => (scores[a] as number) - (scores[b] as number))
  let rankSum = 0
  let positives = 0
  for (let i = 0; i < order.length; ) {
    let j = i
    while (j + 1 < order.length && scores[order[j + 1] as number] === scores[order[i] as number]) j++
    const averageRank = (i + j) / 2 + 1
    for (let k = i; k <= j; k++) {
      if (labels[order[k] as number]) {
        rankSum += averageRank
        positives++
      }
    }
    i = j + 1
  }
  const negatives = order.length - positives
  return positives && negatives ? (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives) : 0
}

const sessionDirs = findDirs(root, (d) => ['baseline.log', 'incident.log', 'labels.csv'].every((f) => existsSync(join(d, f))))
const bglFiles = findDirs(root, (d) => existsSync(join(d, 'BGL_2k.log'))).map((d) => join(d, 'BGL_2k.log'))
if (sessionDirs.length === 0 && bglFiles.length === 0) {
  console.error(`No HDFS session set or BGL sample found under ${root}`)
  process.exit(2)
}
for (const dir of sessionDirs) await evalSessions(dir)
for (const file of bglFiles) await evalBgl(file)
