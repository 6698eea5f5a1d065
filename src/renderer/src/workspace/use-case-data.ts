/** The open case as the workspace sees it: summary, ingest progress, templates and timeline. */
import { useEffect, useState } from 'react'
import type { CaseSummary, IngestProgressEvent, SessionRowView, SessionSummaryView, TemplateRowView } from '../../../shared/api/case-contract.ts'
import type { FaultlineApi } from '../../../shared/api/client.ts'

export type TimelineData = { fromTs: number; bucketMs: number; lines: number[]; anomalies: number[] } | null

export function useCaseSummary(api: FaultlineApi, initial: CaseSummary, onError: (e: unknown) => void) {
  const [summary, setSummary] = useState(initial)
  const [progress, setProgress] = useState<IngestProgressEvent | null>(null)
  useEffect(() => {
    const offChanged = api.on('case.changed', (next) => {
      if (next.caseId === initial.caseId) setSummary(next)
    })
    const offProgress = api.on('ingest.progress', (event) => {
      if (event.caseId === initial.caseId) setProgress(event)
    })
    api.request('case.summary', { caseId: initial.caseId }).then(setSummary, onError)
    return () => {
      offChanged()
      offProgress()
    }
  }, [api, initial.caseId, onError])
  const source = summary.sources[0]
  const ingesting = source?.state === 'ingesting'
  // While the ingest runs, the progress events are the freshest line count.
  const lines = ingesting ? Math.max(source?.lines ?? 0, progress?.lines ?? 0) : (source?.lines ?? 0)
  return { summary, progress: ingesting ? progress : null, lines, ingesting }
}

/** Refetched whenever `version` changes (e.g. the ingest finished). */
export function useTemplates(api: FaultlineApi, caseId: string, version: string, onError: (e: unknown) => void): TemplateRowView[] {
  const [templates, setTemplates] = useState<TemplateRowView[]>([])
  useEffect(() => {
    api.request('case.templates', { caseId }).then((r) => setTemplates(r.templates), onError)
  }, [api, caseId, version, onError])
  return templates
}

export function useTimeline(api: FaultlineApi, caseId: string, sourceId: number | undefined, version: string, onError: (e: unknown) => void): TimelineData {
  const [data, setData] = useState<TimelineData>(null)
  useEffect(() => {
    if (sourceId === undefined) return
    api.request('case.timeline', { caseId, sourceId, buckets: 240 }).then(setData, onError)
  }, [api, caseId, sourceId, version, onError])
  return data
}

export function useSessions(
  api: FaultlineApi,
  caseId: string,
  sourceId: number | undefined,
  version: string,
  onError: (e: unknown) => void
): { summary: SessionSummaryView | null; sessions: SessionRowView[] } {
  const [data, setData] = useState<{ summary: SessionSummaryView | null; sessions: SessionRowView[] }>({ summary: null, sessions: [] })
  useEffect(() => {
    if (sourceId === undefined) return
    api.request('case.sessions', { caseId, sourceId, limit: 300 }).then(setData, onError)
  }, [api, caseId, sourceId, version, onError])
  return data
}
