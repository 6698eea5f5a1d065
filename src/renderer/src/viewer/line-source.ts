/**
 * What the viewer shows, as a numbered list: either every line of a source (index i is line
 * i + 1) or the lines a filter kept (index i is the i-th match). The viewer only ever asks for
 * a slice, so ten million lines cost no more than a hundred.
 */
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { ViewLine } from '../../../shared/api/case-contract.ts'

export interface LineSource {
  /** Stable identity: the viewer reloads when it changes. */
  readonly key: string
  readonly count: number
  fetch(from: number, count: number): Promise<ViewLine[]>
  /** Index of the first entry at or after a line number. */
  indexOf(lineNo: number): Promise<number>
}

export function wholeSource(api: FaultlineApi, caseId: string, sourceId: number, count: number, revision = 0): LineSource {
  return {
    key: `${caseId}/${sourceId}@${revision}`,
    count,
    fetch: async (from, n) => (await api.request('case.lines', { caseId, sourceId, from: from + 1, count: n })).lines,
    indexOf: async (lineNo) => Math.max(0, lineNo - 1)
  }
}

export function filteredSource(api: FaultlineApi, caseId: string, filterId: string, count: number): LineSource {
  return {
    key: `${caseId}/${filterId}`,
    count,
    fetch: async (from, n) => (await api.request('case.filteredLines', { caseId, filterId, from, count: n })).lines,
    indexOf: async (lineNo) => (await api.request('case.filterIndexOf', { caseId, filterId, lineNo })).index
  }
}
