/**
 * What the viewer shows, as a numbered list: either every line of a source (index i is line
 * i + 1) or the lines a filter kept (index i is the i-th match). The viewer only ever asks for
 * a slice, so ten million lines cost no more than a hundred.
 */
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { ViewLine } from '../../../shared/api/case-contract.ts'

/** A line as listed: of several sources' (see `interleavedSource`), it says which. */
export type ListedLine = ViewLine & { readonly sourceId?: number | undefined }

export interface LineSource {
  /** Stable identity: the viewer reloads when it changes. */
  readonly key: string
  readonly count: number
  /** The lines of several sources, each tagged with its own: line numbers are each source's. */
  readonly interleaved?: boolean
  fetch(from: number, count: number): Promise<ListedLine[]>
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

/** Every source of the case, interleaved by time (index i is the i-th line of that order). */
export function interleavedSource(api: FaultlineApi, caseId: string, count: number, revision = 0): LineSource {
  return {
    key: `${caseId}/all@${revision}`,
    count,
    interleaved: true,
    fetch: async (from, n) => (await api.request('case.interleavedLines', { caseId, from: from + 1, count: n })).lines,
    // "Go to line n" goes to the n-th line of the interleaving.
    indexOf: async (position) => Math.max(0, position - 1)
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
