/**
 * Throughput of the parse pipeline (reader → detection → miner): `npm run bench:parse`.
 * Generates HDFS-like files (1M and 10M lines, or `--lines N`) in a temp dir, parses each in a
 * fresh child process so peak RSS is the pipeline's own, and deletes the files afterwards.
 */
import { spawnSync } from 'node:child_process'
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseFile } from '../src/core/parse/index.ts'

/** Small deterministic PRNG (mulberry32) so every run parses the same bytes. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function hdfsLine(rand: () => number, i: number): string {
  const int = (n: number) => Math.floor(rand() * n)
  const blk = `blk_${rand() < 0.5 ? '-' : ''}${int(1e9)}${int(1e9)}`
  const ip = () => `10.251.${int(256)}.${int(256)}`
  // Valid HHMMSS clock, advancing about once per 20 lines like a busy service.
  const t = 20 * 3600 + Math.floor(i / 20)
  const clock = [Math.floor(t / 3600) % 24, Math.floor(t / 60) % 60, t % 60].map((v) => String(v).padStart(2, '0')).join('')
  const head = `081109 ${clock} ${int(40000)}`
  switch (int(10)) {
    case 0:
      return `${head} INFO dfs.DataNode$PacketResponder: PacketResponder ${int(3)} for block ${blk} terminating`
    case 1:
      return `${head} INFO dfs.DataNode$PacketResponder: Received block ${blk} of size ${int(67108864)} from /${ip()}`
    case 2:
      return `${head} INFO dfs.DataNode$DataXceiver: Receiving block ${blk} src: /${ip()}:${int(65535)} dest: /${ip()}:50010`
    case 3:
      return `${head} INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: ${ip()}:50010 is added to ${blk} size ${int(67108864)}`
    case 4:
      return `${head} INFO dfs.FSNamesystem: BLOCK* NameSystem.allocateBlock: /user/root/rand/_temporary/_task_200811092030_0001_m_${String(int(2000)).padStart(6, '0')}_0/part-${String(int(2000)).padStart(5, '0')}. ${blk}`
    case 5:
      return `${head} INFO dfs.FSDataset: Deleting block ${blk} file /mnt/hadoop/dfs/data/current/subdir${int(64)}/${blk}`
    case 6:
      return `${head} INFO dfs.FSNamesystem: BLOCK* NameSystem.delete: ${blk} is added to invalidSet of ${ip()}:50010`
    case 7:
      return `${head} INFO dfs.DataNode$DataXceiver: ${ip()}:50010 Served block ${blk} to /${ip()}`
    case 8:
      return `${head} WARN dfs.DataNode$DataXceiver: ${ip()}:50010:Got exception while serving ${blk} to /${ip()}:`
    default:
      return `${head} INFO dfs.DataBlockScanner: Verification succeeded for ${blk}`
  }
}

async function generate(path: string, lines: number): Promise<void> {
  const rand = prng(42)
  const out = createWriteStream(path)
  let buf: string[] = []
  for (let i = 0; i < lines; i++) {
    buf.push(hdfsLine(rand, i))
    if (buf.length === 10_000) {
      if (!out.write(buf.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()))
      buf = []
    }
  }
  if (buf.length > 0) out.write(buf.join('\n') + '\n')
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
}

interface RunResult {
  lines: number
  bytes: number
  seconds: number
  /** User + system CPU time: single-core throughput even when the machine is busy. */
  cpuSeconds: number
  templates: number
  peakRssMb: number
}

/** Child mode: parse one file and print the figures as JSON. */
async function runChild(path: string): Promise<void> {
  const start = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const r = await parseFile(path, { multiline: true })
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  const result: RunResult = {
    lines: r.lines,
    bytes: r.bytes,
    seconds,
    cpuSeconds: (used.user + used.system) / 1e6,
    templates: r.miner.size,
    peakRssMb: process.resourceUsage().maxRSS / 1024
  }
  process.stdout.write(JSON.stringify(result) + '\n')
}

function measure(path: string): RunResult {
  const self = fileURLToPath(import.meta.url)
  const child = spawnSync(process.execPath, [self, '--child', path], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (child.status !== 0) throw new Error(`bench child failed: ${child.stderr}`)
  return JSON.parse(child.stdout) as RunResult
}

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const childAt = args.indexOf('--child')
  if (childAt >= 0) return runChild(args[childAt + 1] ?? '')
  // --generate N PATH: only write the file (for profiling the child by hand).
  const genAt = args.indexOf('--generate')
  if (genAt >= 0) return generate(args[genAt + 2] ?? 'bench.log', Number(args[genAt + 1]))
  const linesAt = args.indexOf('--lines')
  const sizes = linesAt >= 0 ? [Number(args[linesAt + 1])] : [1_000_000, 10_000_000]
  const dir = mkdtempSync(join(tmpdir(), 'faultline-bench-'))
  try {
    console.log('lines       MB       seconds  lines/s     MB/s    CPU s   lines/CPU-s  templates  peak RSS MB')
    for (const n of sizes) {
      const path = join(dir, `hdfs-${n}.log`)
      await generate(path, n)
      const mb = statSync(path).size / 1e6
      const r = measure(path)
      rmSync(path)
      console.log(
        `${String(r.lines).padEnd(12)}${mb.toFixed(0).padEnd(9)}${r.seconds.toFixed(2).padEnd(9)}${Math.round(r.lines / r.seconds).toLocaleString('en-US').padEnd(12)}${(mb / r.seconds).toFixed(1).padEnd(8)}${r.cpuSeconds.toFixed(2).padEnd(8)}${Math.round(r.lines / r.cpuSeconds).toLocaleString('en-US').padEnd(13)}${String(r.templates).padEnd(11)}${r.peakRssMb.toFixed(0)}`
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
