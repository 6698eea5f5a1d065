/**
 * Parsing accuracy on loghub-style datasets: `npm run eval:parsing -- <dir>`.
 * Runs the product path (reader → detection → miner) on each raw log and scores it against the
 * structured CSV: exact content share and grouping accuracy (GA).
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseFile, replayParsed } from '../src/core/parse/index.ts'
import { parseCsv } from '../src/shared/export/csv.ts'

// Published Drain GA on the loghub-2k samples (Zhu et al., ICSE-SEIP 2019, original labels).
const DRAIN_GA: Record<string, number> = {
  HDFS: 0.998, Hadoop: 0.948, Spark: 0.92, Zookeeper: 0.967, OpenStack: 0.733, BGL: 0.963, HPC: 0.887,
  Thunderbird: 0.955, Windows: 0.997, Linux: 0.69, Mac: 0.787, Android: 0.911, HealthApp: 0.78,
  Apache: 1, OpenSSH: 0.788, Proxifier: 0.527
}

/** Systems whose README says the first raw token is a ground-truth label to strip. */
function labelledSystems(dir: string): Set<string> {
  const readme = join(dir, 'README.md')
  const out = new Set<string>()
  if (!existsSync(readme)) return out
  for (const m of readFileSync(readme, 'utf8').matchAll(/^(\w+) only: the first token of each raw line is an? [^\n]*label/gim))
    out.add(m[1] ?? '')
  return out
}

export function groupingAccuracy(truth: readonly string[], predicted: ArrayLike<number>): number {
  const trueSize = new Map<string, number>()
  for (const t of truth) trueSize.set(t, (trueSize.get(t) ?? 0) + 1)
  const groups = new Map<number, number[]>()
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i] ?? -1
    const list = groups.get(p) ?? []
    list.push(i)
    groups.set(p, list)
  }
  let correct = 0
  for (const members of groups.values()) {
    const first = truth[members[0] ?? 0] ?? ''
    if (members.every((i) => truth[i] === first) && trueSize.get(first) === members.length) correct += members.length
  }
  return correct / Math.max(1, truth.length)
}

interface Row {
  name: string
  lines: number
  content: number
  ga: number
  templates: number
  truthTemplates: number
}

async function evalDataset(dir: string, name: string, stripLabel: boolean, verbose: boolean, minerSettings: Record<string, number>): Promise<Row | null> {
  const files = readdirSync(join(dir, name))
  const raw = files.find((f) => f.endsWith('.log'))
  const structured = files.find((f) => /structured.*\.csv$/.test(f))
  if (raw === undefined || structured === undefined) return null
  let path = join(dir, name, raw)
  let tmp: string | null = null
  if (stripLabel) {
    tmp = mkdtempSync(join(tmpdir(), 'faultline-eval-'))
    const text = readFileSync(path, 'utf8').replace(/^\S+ /gm, '')
    path = join(tmp, raw)
    writeFileSync(path, text)
  }
  const contents: string[] = []
  const predicted: number[] = []
  try {
    // Exactly what `faultline parse --jsonl` does: mine the file, then read it again and
    // report every physical line with its final template (default options throughout).
    const result = await parseFile(path, { minerSettings })
    await replayParsed(path, result, {}, (lines) => {
      for (const l of lines) {
        contents.push(l.content)
        predicted.push(l.templateId)
      }
    })
    const [header, ...rows] = parseCsv(readFileSync(join(dir, name, structured), 'utf8')).filter((r) => r.length > 1)
    const col = (n: string) => (header ?? []).indexOf(n)
    const cContent = col('Content')
    const cEvent = col('EventId')
    const truth = rows.map((r) => r[cEvent] ?? '')
    if (contents.length !== rows.length) console.error(`[${name}] ${contents.length} parsed lines for ${rows.length} ground-truth rows`)
    let same = 0
    rows.forEach((r, i) => {
      if ((r[cContent] ?? '').trim() === (contents[i] ?? '')) same++
      else if (verbose) console.error(`[${name}] content #${i + 1}: got ${JSON.stringify(contents[i])} want ${JSON.stringify(r[cContent])}`)
    })
    if (verbose) reportGroups(name, truth, predicted, rows.map((r) => r[cContent] ?? ''), result)
    return {
      name,
      lines: rows.length,
      content: same / Math.max(1, rows.length),
      ga: groupingAccuracy(truth, predicted),
      templates: result.miner.size,
      truthTemplates: new Set(truth).size
    }
  } finally {
    if (tmp !== null) rmSync(tmp, { recursive: true, force: true })
  }
}

/** With --verbose: which true groups are split or merged, to study errors. */
function reportGroups(name: string, truth: string[], predicted: number[], content: string[], result: Awaited<ReturnType<typeof parseFile>>): void {
  const byTruth = new Map<string, Set<number>>()
  const byPred = new Map<number, Set<string>>()
  truth.forEach((t, i) => {
    const p = predicted[i] ?? -1
    ;(byTruth.get(t) ?? byTruth.set(t, new Set()).get(t))?.add(p)
    ;(byPred.get(p) ?? byPred.set(p, new Set()).get(p))?.add(t)
  })
  for (const [t, ps] of byTruth) {
    if (ps.size > 1) {
      console.error(`[${name}] SPLIT ${t} into ${ps.size}:`)
      for (const p of [...ps].slice(0, 4)) console.error(`    ${result.miner.template(p).text}   | e.g. ${content[predicted.indexOf(p)]}`)
    }
  }
  for (const [p, ts] of byPred) {
    if (ts.size > 1) {
      console.error(`[${name}] MERGED ${[...ts].join(',')} in ${result.miner.template(p).text}`)
      for (const t of [...ts].slice(0, 4)) console.error(`    ${t}: ${content[truth.indexOf(t)]}`)
    }
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const verbose = args.includes('--verbose')
  const only = args.filter((a) => a.startsWith('--only=')).map((a) => a.slice(7))
  const dir = args.find((a) => !a.startsWith('--'))
  if (dir === undefined) {
    console.error('usage: npm run eval:parsing -- <dir> [--verbose] [--only=Name]')
    process.exit(2)
  }
  // --set name=value: try miner settings other than the defaults (for tuning, not for reporting).
  const minerSettings = Object.fromEntries(
    args.filter((a) => a.startsWith('--set=')).map((a) => a.slice(6).split('=')).map(([k, v]) => [k ?? '', Number(v)])
  )
  const labelled = labelledSystems(dir)
  const names = readdirSync(dir)
    .filter((n) => statSync(join(dir, n)).isDirectory())
    .filter((n) => only.length === 0 || only.includes(n))
    .sort()
  const rows: Row[] = []
  const pad = (s: string, n: number) => s.padEnd(n)
  console.log('content: share of lines whose extracted message equals the Content column; GA: grouping accuracy;')
  console.log('Drain GA: published reference (Zhu et al., ICSE-SEIP 2019, original loghub-2k labels)')
  console.log(`${pad('dataset', 12)}${pad('lines', 7)}${pad('content', 9)}${pad('GA', 7)}${pad('Drain GA', 10)}templates (truth)`)
  for (const name of names) {
    const row = await evalDataset(dir, name, labelled.has(name), verbose, minerSettings)
    if (row === null) continue
    rows.push(row)
    const drain = DRAIN_GA[name]
    console.log(
      `${pad(name, 12)}${pad(String(row.lines), 7)}${pad(row.content.toFixed(4), 9)}${pad(row.ga.toFixed(3), 7)}${pad(drain === undefined ? '-' : drain.toFixed(3), 10)}${row.templates} (${row.truthTemplates})`
    )
  }
  const avg = rows.reduce((s, r) => s + r.ga, 0) / Math.max(1, rows.length)
  const avgContent = rows.reduce((s, r) => s + r.content, 0) / Math.max(1, rows.length)
  console.log(`average GA ${avg.toFixed(4)} over ${rows.length} datasets (content exact ${avgContent.toFixed(4)})`)
}

await main()
