/**
 * Golden files: a small case exported in every format, compared byte for byte with the files in
 * golden/. After an intended change to a format, regenerate them with
 * `UPDATE_GOLDEN=1 npx vitest run src/core/export/export-golden.test.ts` and read the diff.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { addBookmark, addNote } from '../case/marks.ts'
import { exportCase } from './export-case.ts'
import type { ExportFormat } from './export-case.ts'
import { buildCase } from './testing/export-fixture.ts'
import type { FixtureLine } from './testing/export-fixture.ts'

const dir = mkdtempSync(join(tmpdir(), 'faultline-golden-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const t0 = Date.UTC(2024, 5, 3, 14, 0, 0)
const lines: FixtureLine[] = [
  { text: '2024-06-03 14:00:00 INFO  checkout started for user=maria from 10.20.30.40', ts: t0, template: 0 },
  { text: '2024-06-03 14:00:05 INFO  cart 88213 priced, 3 items, total "€42,10"', ts: t0 + 5_000, template: 1 },
  { text: '2024-06-03 14:00:09 ERROR payment gateway pay.example.com timed out after 30000 ms', ts: t0 + 9_000, level: 6, template: 2, reasons: ['template never seen in the baseline', 'level error is rare (0.2 % of baseline lines)'], score: 0.97 },
  { text: 'java.net.SocketTimeoutException: Read timed out', continuation: true },
  { text: '\tat com.shop.pay.Client.charge(Client.java:118)', continuation: true },
  { text: '2024-06-03 14:00:10 WARN  retrying with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJlMTIzNDU2', ts: t0 + 10_000, level: 5, template: 3 },
  { text: '2024-06-03 14:00:30 INFO  checkout started for user=li from 10.20.30.41', ts: t0 + 30_000, template: 0 },
  { text: '2024-06-03 14:00:31 INFO  cart 88214 priced, 1 items, total "€9,99"', ts: t0 + 31_000, template: 1 },
  { text: '2024-06-03 14:00:40 ERROR payment gateway pay.example.com timed out after 30000 ms', ts: t0 + 40_000, level: 6, template: 2, reasons: ['template never seen in the baseline'], score: 0.91 },
  { text: '2024-06-03 14:01:00 INFO  health check ok | latency 12 ms', ts: t0 + 60_000, template: 4 }
]
const templates = ['<*> INFO checkout started for user=<*> from <*>', '<*> INFO cart <*> priced, <*> items, total <*>', '<*> ERROR payment gateway <*> timed out after <*> ms', '<*> WARN retrying with Authorization: Bearer <*>', '<*> INFO health check ok | latency <*> ms']
const { store, sourceId } = buildCase(join(dir, 'golden.faultline'), '/srv/logs/shop-14h.log', lines, templates)
addNote(store.db, sourceId, 6, 'retry storm begins: the same token is replayed', 0)
addBookmark(store.db, sourceId, 10, 0)
afterAll(() => store.close())

const golden = (name: string): string => new URL(`./golden/${name}`, import.meta.url).pathname

describe('export golden files', () => {
  for (const [format, redact] of [
    ['csv', false],
    ['jsonl', false],
    ['md', false],
    ['md', true]
  ] as [ExportFormat, boolean][]) {
    const name = `shop${redact ? '-redacted' : ''}.${format}`
    it(`${name} matches`, async () => {
      let text = ''
      await exportCase(store, sourceId, { format, context: 1, redact, now: new Date(Date.UTC(2024, 5, 4, 9, 0, 0)) }, (chunk) => {
        text += chunk
      })
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden(name), text)
      expect(text).toBe(readFileSync(golden(name), 'utf8'))
    })
  }
})
