import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { trainModel } from '../model/train.ts'
import type { Model } from '../model/model.ts'
import { generateSample } from '../sample/sample-incident.ts'
import { compareTemplates } from '../../shared/compare/index.ts'
import { baselineCounts, countIncidentTemplates } from './index.ts'

let dir: string
let model: Model

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-compare-'))
  const write = (name: string, lines: string[]): void => writeFileSync(join(dir, name), lines.join('\n') + '\n')
  write('baseline.log', [...generateSample({ seed: 1, lines: 20_000, fault: null })].map((l) => l.text))
  write('incident.log', [...generateSample({ seed: 2, lines: 8_000, fault: { startAt: 0.4, length: 0.3 } })].map((l) => l.text))
  write('same.log', [...generateSample({ seed: 3, lines: 8_000, fault: null })].map((l) => l.text))
  model = await trainModel([join(dir, 'baseline.log')])
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('comparing an incident with its baseline model', () => {
  it('counts every record once, under the baseline ids for known templates', async () => {
    const counts = await countIncidentTemplates(join(dir, 'same.log'), model)
    expect(counts.templates.reduce((sum, t) => sum + t.count, 0)).toBe(counts.totalLines)
    const known = counts.templates.filter((t) => model.templates.has(t.id))
    expect(known.reduce((sum, t) => sum + t.count, 0) / counts.totalLines).toBeGreaterThan(0.99)
    for (const t of counts.templates) expect(t.firstLine).toBeGreaterThan(0)
  })

  it('finds the outage: new templates with their first line, and rates that jumped', async () => {
    const comparison = compareTemplates(baselineCounts(model), await countIncidentTemplates(join(dir, 'incident.log'), model))
    expect(comparison.added.length).toBeGreaterThan(0)
    expect(comparison.added.some((r) => /timeout|pool|circuit|503|fail/i.test(r.template))).toBe(true)
    // The outage starts 40% of the way in; its new templates first show up after the start.
    expect(Math.min(...comparison.added.map((r) => r.firstLine ?? 0))).toBeGreaterThan(8_000 * 0.3)
  })

  it('finds little in a normal log of the same system', async () => {
    const comparison = compareTemplates(baselineCounts(model), await countIncidentTemplates(join(dir, 'same.log'), model))
    expect(comparison.vanished).toEqual([])
    expect(comparison.changed).toEqual([])
    expect(comparison.added.reduce((sum, r) => sum + r.incidentCount, 0)).toBeLessThan(20)
  })
})
