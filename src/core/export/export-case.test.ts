import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { parseCsv } from '../../shared/export/csv.ts'
import { exportColumns, fromCsvRow, fromJsonLine } from '../../shared/export/export-record.ts'
import type { ExportRecord } from '../../shared/export/export-record.ts'
import { plantedCorpus } from '../../shared/export/planted-secrets.ts'
import { Redactor } from '../../shared/export/redact.ts'
import type { CaseStore } from '../case/case-store.ts'
import { addBookmark, addNote } from '../case/marks.ts'
import { exportCase, markdownReport } from './export-case.ts'
import type { ExportOptions } from './export-case.ts'
import { exportRecords, planExport } from './export-records.ts'
import { buildCase } from './testing/export-fixture.ts'
import type { FixtureLine } from './testing/export-fixture.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const stores: CaseStore[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
})
let cases = 0

function fixture(lines: FixtureLine[], templates: string[] = ['<*> happened'], options: { scored?: boolean } = {}): { store: CaseStore; sourceId: number } {
  const built = buildCase(join(dir, `c${++cases}.faultline`), '/var/log/app.log', lines, templates, options)
  stores.push(built.store)
  return built
}

async function exported(store: CaseStore, sourceId: number, options: ExportOptions): Promise<string> {
  let text = ''
  await exportCase(store, sourceId, options, (chunk) => {
    text += chunk
  })
  return text
}

const t0 = Date.UTC(2024, 2, 1, 10, 0, 0)
const plain = (n: number): FixtureLine => ({ text: `line ${n}`, ts: t0 + n * 1_000 })

describe('selecting lines', () => {
  it('takes flagged and bookmarked lines with ±N context, merged, ordered, once each', () => {
    const lines = Array.from({ length: 40 }, (_, i) => plain(i + 1))
    for (const n of [5, 7, 30]) (lines[n - 1] as FixtureLine).reasons = [`odd ${n}`]
    const { store, sourceId } = fixture(lines)
    addBookmark(store.db, sourceId, 20, 0)
    addNote(store.db, sourceId, 7, 'here it starts', 0)
    addBookmark(store.db, sourceId, 40, 0)
    const records = [...exportRecords(store, sourceId, planExport(store, sourceId, 2))]
    expect(records.map((r) => r.lineNo)).toEqual([3, 4, 5, 6, 7, 8, 9, 18, 19, 20, 21, 22, 28, 29, 30, 31, 32, 38, 39, 40])
    const byLine = new Map(records.map((r) => [r.lineNo, r]))
    expect(byLine.get(5)).toMatchObject({ flagged: true, context: false, reasons: ['odd 5'], score: 0.9 })
    expect(byLine.get(7)).toMatchObject({ flagged: true, note: 'here it starts', bookmarked: false, context: false })
    expect(byLine.get(6)).toMatchObject({ flagged: false, context: true, reasons: [] })
    expect(byLine.get(20)).toMatchObject({ flagged: false, bookmarked: true, context: false })
    expect(byLine.get(3)).toMatchObject({ source: 'app.log', time: new Date(t0 + 3_000).toISOString(), level: 'info', template: '<*> happened' })
    expect([...exportRecords(store, sourceId, planExport(store, sourceId, 0))].map((r) => r.lineNo)).toEqual([5, 7, 20, 30, 40])
  })

  it("takes a flagged record's continuation lines whole, beyond the context", () => {
    const lines: FixtureLine[] = [plain(1), plain(2), { text: 'Exception: boom', ts: t0, reasons: ['new template'] }]
    for (let i = 0; i < 600; i++) lines.push({ text: `\tat frame ${i}`, continuation: true })
    lines.push(plain(4), plain(5), plain(6))
    const { store, sourceId } = fixture(lines)
    const records = [...exportRecords(store, sourceId, planExport(store, sourceId, 1))]
    expect(records.map((r) => r.lineNo)).toEqual(Array.from({ length: 603 }, (_, i) => i + 2))
    expect(records[1]).toMatchObject({ text: 'Exception: boom', flagged: true, reasons: ['new template'] })
    expect(records[2]).toMatchObject({ text: '\tat frame 0', flagged: true, context: false, reasons: [] })
    expect(records[records.length - 1]).toMatchObject({ text: 'line 4', flagged: false, context: true })
  })

  it('leaves scores out of an unscored case and says so in the report', async () => {
    const { store, sourceId } = fixture([plain(1), plain(2), plain(3)], ['x'], { scored: false })
    addBookmark(store.db, sourceId, 2, 0)
    const records = [...exportRecords(store, sourceId, planExport(store, sourceId, 0))]
    expect(records).toEqual([expect.objectContaining({ lineNo: 2, score: null, bookmarked: true })])
    const md = await exported(store, sourceId, { format: 'md' })
    expect(md).toMatch(/\| Model \| none: the lines are not scored \|/)
    expect(md).toMatch(/\| Flagged \| not scored \|/)
  })

  it('refuses a negative context and an unknown source', async () => {
    const { store, sourceId } = fixture([plain(1)])
    await expect(exported(store, sourceId, { format: 'csv', context: -1 })).rejects.toThrow(/context/)
    await expect(exported(store, sourceId + 5, { format: 'csv' })).rejects.toThrow(/No source/)
  })
})

describe('CSV and JSON Lines', () => {
  const awkward = [
    'plain ascii',
    'commas, "quotes", and ""doubled"" quotes',
    'tabs\there\tand a CR\rinside',
    ' leading and trailing space ',
    'non-ASCII: café, Grüße, 日本語, Ελληνικά',
    'emoji 🚀🔥 and a ZWJ family 👨‍👩‍👧',
    '',
    '=SUM(A1:A2) looks like a formula',
    `long ${'x,"y"\t'.repeat(20_000)}`
  ]

  it('parse back to the same records, awkward text included', async () => {
    const lines: FixtureLine[] = awkward.map((text, i) => ({ text, ts: i % 2 ? null : t0 + i, level: i % 8, reasons: i % 3 ? [`reason, with "quotes"`, 'second\treason'] : undefined }))
    const { store, sourceId } = fixture(lines, ['tmpl, "quoted"'])
    addNote(store.db, sourceId, 2, 'note with, comma and\nline break', 0)
    addBookmark(store.db, sourceId, 7, 0)
    const expected = [...exportRecords(store, sourceId, planExport(store, sourceId, 1))]
    expect(expected).toHaveLength(awkward.length)
    expect(expected.map((r) => r.text)).toEqual(awkward)

    const csv = await exported(store, sourceId, { format: 'csv', context: 1 })
    const [header, ...rows] = parseCsv(csv)
    expect(header).toEqual([...exportColumns])
    expect(rows.map(fromCsvRow)).toEqual(expected)
    expect(csv.endsWith('\r\n')).toBe(true)

    const jsonl = await exported(store, sourceId, { format: 'jsonl', context: 1 })
    const jsonLines = jsonl.split('\n')
    expect(jsonLines.pop()).toBe('')
    expect(jsonLines.map(fromJsonLine)).toEqual(expected)
  })

  it('streams a big export in chunks without holding it whole', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i): FixtureLine => ({ ...plain(i + 1), reasons: i % 10 === 0 ? ['x'] : undefined }))
    const { store, sourceId } = fixture(lines)
    const chunks: number[] = []
    let rows = 0
    const stats = await exportCase(store, sourceId, { format: 'jsonl', context: 2 }, (chunk) => {
      chunks.push(chunk.length)
      rows += chunk.split('\n').length - 1
    })
    expect(stats).toMatchObject({ records: 9_998, flagged: 2_000, stretches: 2_000 })
    expect(rows).toBe(9_998)
    expect(chunks.length).toBeGreaterThan(1)
    expect(Math.max(...chunks)).toBeLessThan(600_000)
  })
})

describe('redaction', () => {
  it('leaves no planted secret in any format, with the same placeholders in each', async () => {
    const corpus = plantedCorpus(2024)
    const lines = corpus.lines.map((text, i): FixtureLine => ({ text, ts: t0 + i * 60_000, reasons: i % 2 === 0 ? [`unusual value in: ${text.slice(25, 90)}`] : undefined }))
    const { store, sourceId } = fixture(lines, [`connect to ${corpus.secrets[9]} as <*>`])
    addNote(store.db, sourceId, 2, `ask ${corpus.secrets[5]} about ${corpus.secrets[0]}`, 0)
    addBookmark(store.db, sourceId, 4, 0)
    const outputs: Record<string, string> = {}
    for (const format of ['csv', 'jsonl', 'md'] as const) outputs[format] = await exported(store, sourceId, { format, context: 1, redact: true })
    for (const [format, text] of Object.entries(outputs)) {
      expect(corpus.secrets.filter((s) => text.includes(s)), format).toEqual([])
      expect(text, format).toContain('refused (pool exhausted)')
    }
    const csvRecords = parseCsv(outputs.csv as string).slice(1).map(fromCsvRow)
    const jsonRecords = (outputs.jsonl as string).trim().split('\n').map(fromJsonLine)
    expect(jsonRecords).toEqual(csvRecords)
    expect(csvRecords.some((r) => r.text.includes('<ip-1>'))).toBe(true)
    // The report shows the same placeholders for the same lines.
    const example = csvRecords.find((r) => r.text.includes('<user-1>')) as ExportRecord
    expect(outputs.md).toContain(example.text.slice(30).replaceAll('`', ''))
  })

  it('replaces a name the log gives late in earlier lines too', async () => {
    const { store, sourceId } = fixture([
      { text: 'session started for maria_k', ts: t0, reasons: ['r'] },
      { text: 'payment failed user=maria_k', ts: t0, reasons: ['r'] }
    ])
    for (const format of ['csv', 'jsonl', 'md'] as const) {
      const text = await exported(store, sourceId, { format, redact: true })
      expect(text, format).not.toContain('maria_k')
      expect(text, format).toContain('session started for <user-1>')
    }
  })

  it('shares placeholders across exports through one Redactor', async () => {
    const { store, sourceId } = fixture([{ text: 'from 10.9.8.7', ts: t0, reasons: ['r'] }, { text: 'user=zed from 10.9.8.6', ts: t0, reasons: ['r'] }])
    const redactor = new Redactor()
    redactor.redact('seen before: 10.9.8.6')
    const csv = await exported(store, sourceId, { format: 'csv', redact: redactor })
    expect(csv).toContain('from <ip-2>')
    expect(csv).toContain('user=<user-1> from <ip-1>')
  })
})

describe('Markdown report', () => {
  it('tells the story: summary, timeline, top templates and every flagged line with its reasons', () => {
    const lines: FixtureLine[] = []
    for (let i = 0; i < 300; i++) {
      const bad = i >= 200 && i % 7 === 0
      lines.push({
        text: bad ? `${i} ERROR payment <script>alert(1)</script> | failed for order ${i} \`tick\`` : `${i} INFO ok`,
        ts: t0 + i * 10_000,
        level: bad ? 6 : 3,
        template: bad ? 1 : 0,
        reasons: bad ? [`new template *not* seen in the baseline`, `level error is rare (0.1 %)`] : undefined,
        score: bad ? 0.8 + (i % 10) / 100 : 0.1
      })
    }
    const { store, sourceId } = fixture(lines, ['<*> INFO ok', '<*> ERROR payment <*> | failed for order <*>'])
    addNote(store.db, sourceId, 11, 'deploy of v2.3 started here', 0)
    const md = markdownReport(store, sourceId, { context: 1, now: new Date(Date.UTC(2024, 3, 1)) })
    expect(md).toMatch(/^# Postmortem: app\.log\n/)
    expect(md).toContain('| Time range | 2024-03-01T10:00:00.000Z → 2024-03-01T10:49:50.000Z (UTC) |')
    expect(md).toContain('| Model | baseline `/baselines/good-day.log`; flags lines scoring ≥ 0.5 |')
    expect(md).toContain('| Flagged | 14 lines (4.7 %) |')
    expect(md).toContain('| Bookmarked | 0 lines, 1 with notes |')
    expect(md).toMatch(/## Timeline of anomalies\n\n!\[Flagged lines over time\]\(data:image\/svg\+xml,%3Csvg[^)\s]+\)/)
    expect(md).toMatch(/## Top anomalous templates\n[\s\S]*\| 1 \| 14 \| 0\.89 \| `<\*> ERROR payment <\*> \\\| failed for order <\*>` \|/)
    expect(md).toContain('- **Line 204** · 2024-03-01T10:33:50.000Z · error · score 0.83 · flagged\n  - new template \\*not\\* seen in the baseline\n')
    expect(md).toContain('  - Note: deploy of v2.3 started here')
    expect(md).toContain('▶ 204  203 ERROR payment <script>alert(1)</script>')
    // The log's HTML stays inside code; nothing outside a code block or span opens a tag.
    const outsideCode = md.replace(/```[\s\S]*?```/g, '').replace(/`` [^\n]*? ``|`[^`\n]*`/g, '')
    expect(outsideCode).not.toMatch(/<script|<\/?[a-z]+[\s>]/i)
    const svg = decodeURIComponent((/data:image\/svg\+xml,([^)]+)\)/.exec(md) as RegExpExecArray)[1] as string)
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    expect(svg).not.toMatch(/<script|href|on\w+=/i)
  })
})
