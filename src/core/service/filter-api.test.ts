import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { CaseSummary } from '../../shared/api/case-contract.ts'
import { startService, until, writeLog } from './testing/api-harness.ts'

describe('filters through the API', () => {
  it('searches text under a cancellable token, pages the result, and says plainly what went wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-filter-api-'))
    const { api } = startService(join(dir, 'data'))
    const incident = writeLog(dir, 'incident.log', { seed: 6, lines: 6_000, requestsPerSecond: 12, fault: { startAt: 0.4, length: 0.3 } })
    const { caseId } = await api.request('case.open', { path: incident })
    await until<CaseSummary>(api, 'case.changed', (s) => s.caseId === caseId && s.sources[0]?.state === 'complete')

    const plain = await api.request('case.filter', { caseId, sourceId: 1, filter: { text: 'timed out' } })
    const named = await api.request('case.filter', { caseId, sourceId: 1, filter: { text: 'timed out' }, token: 'search-1' })
    expect(named.count).toBe(plain.count)
    expect(named.count).toBeGreaterThan(0)
    const page = await api.request('case.filteredLines', { caseId, filterId: named.filterId, from: 0, count: 20 })
    expect(page.lines.every((l) => l.text.toLowerCase().includes('timed out'))).toBe(true)
    // Answered already: nothing left to cancel.
    expect(await api.request('case.cancelFilter', { caseId, token: 'search-1' })).toEqual({ cancelled: false })

    // With context, the result is runs of lines; paging and lookups see every line once.
    const wide = await api.request('case.filter', { caseId, sourceId: 1, filter: { text: 'timed out', context: 2 } })
    const all = await api.request('case.filteredLines', { caseId, filterId: wide.filterId, from: 0, count: Math.min(wide.count, 5_000) })
    const numbers = all.lines.map((l) => l.lineNo)
    expect(numbers).toEqual([...new Set(numbers)].sort((a, b) => a - b))
    const second = numbers[1] as number
    expect(await api.request('case.filterIndexOf', { caseId, filterId: wide.filterId, lineNo: second })).toEqual({ index: 1 })

    await expect(api.request('case.filter', { caseId, sourceId: 1, filter: { text: 'order (', regex: true } })).rejects.toMatchObject({ code: 'invalid_params' })
    await expect(api.request('case.cancelFilter', { caseId, token: '' })).rejects.toMatchObject({ code: 'invalid_params' })
  })
})
