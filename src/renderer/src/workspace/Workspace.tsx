/**
 * The investigation workspace: the case bar (with ingest progress), filters, the log viewer,
 * the templates panel and the timeline. Every control narrows one `LineFilter`; the viewer shows
 * whichever lines it keeps, with their original numbers.
 */
import { useCallback, useEffect, useMemo, useState } from 'react'
import type { CaseSummary } from '../../../shared/api/case-contract.ts'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { Theme } from '../../../shared/api/contract.ts'
import { isEmptyFilter } from '../../../shared/case/line-filter.ts'
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { filteredSource, wholeSource } from '../viewer/line-source.ts'
import type { LineSource } from '../viewer/line-source.ts'
import { LogViewer } from '../viewer/LogViewer.tsx'
import { FilterBar } from './FilterBar.tsx'
import { IngestProgress } from './IngestProgress.tsx'
import { TemplatesPanel } from './TemplatesPanel.tsx'
import { Timeline } from './Timeline.tsx'
import { SessionsPanel } from './SessionsPanel.tsx'
import { useCaseSummary, useSessions, useTemplates, useTimeline } from './use-case-data.ts'
import './workspace.css'

export interface WorkspaceProps {
  api: FaultlineApi
  initial: CaseSummary
  theme: Theme
  onSummary: (summary: CaseSummary) => void
  onError: (error: unknown) => void
}

export function Workspace({ api, initial, theme, onSummary, onError }: WorkspaceProps) {
  const { summary, progress, lines, ingesting } = useCaseSummary(api, initial, onError)
  const caseId = summary.caseId
  const revision = summary.revision
  const source = summary.sources[0]
  const sourceId = source?.id
  // Panels refresh when the ingest moves on to a new state, not on every progress tick.
  const version = `${summary.revision}:${source?.state}:${ingesting ? Math.floor(lines / 50_000) : lines}`
  const templates = useTemplates(api, caseId, version, onError)
  const timeline = useTimeline(api, caseId, sourceId, version, onError)
  const sessions = useSessions(api, caseId, sourceId, ingesting ? 'ingesting' : version, onError)
  const [sideTab, setSideTab] = useState<'templates' | 'sessions'>('templates')
  const [filter, setFilter] = useState<LineFilter>({})
  const [highlightParams, setHighlightParams] = useState(false)
  // The engine's answer for a filter, kept with the filter it answers so a stale one is ignored.
  const [answer, setAnswer] = useState<{ for: LineFilter; revision: number; filterId: string; count: number } | null>(null)
  const filtered = answer && answer.for === filter && answer.revision === summary.revision && !isEmptyFilter(filter) ? answer : null

  useEffect(() => onSummary(summary), [summary, onSummary])

  useEffect(() => {
    if (sourceId === undefined || isEmptyFilter(filter)) return
    let current = true
    api.request('case.filter', { caseId, sourceId, filter }).then((result) => {
      if (current) setAnswer({ for: filter, revision, ...result })
    }, onError)
    return () => {
      current = false
    }
  }, [api, caseId, sourceId, filter, version, revision, onError])

  const lineSource: LineSource | null = useMemo(() => {
    if (sourceId === undefined) return null
    return filtered ? filteredSource(api, caseId, filtered.filterId, filtered.count) : wholeSource(api, caseId, sourceId, lines, revision)
  }, [api, caseId, sourceId, filtered, lines, revision])

  const templatesById = useMemo(() => new Map(templates.map((t) => [t.id, t.text])), [templates])
  const templateLookup = useCallback((id: number) => templatesById.get(id), [templatesById])
  const templateText = useCallback((id: number) => templatesById.get(id) ?? `template ${id}`, [templatesById])
  const selectedTemplates = filter.templates ?? []
  const threshold = summary.model?.lineThreshold ?? 0.5

  return (
    <div className="workspace" data-testid="workspace">
      <div className="case-bar">
        <span className="case-title">{summary.title}</span>
        {source && <span className="case-source mono">{source.name}</span>}
        <span className="case-model">
          {summary.model
            ? summary.model.mode === 'baseline'
              ? `model: baseline ${summary.model.baseline.map((p) => p.split(/[\\/]/).pop()).join(', ')}`
              : 'model: self-trained on this file'
            : summary.scoring
              ? 'scoring: learning what is usual in this file…'
              : 'not scored'}
        </span>
        <span className="case-spacer" />
        <button
          type="button"
          className="text-button"
          data-testid="toggle-params"
          aria-pressed={highlightParams}
          title="Highlight the parts of each line the template miner found variable"
          onClick={() => setHighlightParams((on) => !on)}
        >
          {highlightParams ? 'Hide parameters' : 'Show parameters'}
        </button>
        {ingesting && sourceId !== undefined ? (
          <IngestProgress
            progress={progress}
            onCancel={() => void api.request('case.cancelIngest', { caseId, sourceId }).catch(onError)}
          />
        ) : (
          <span className="case-anomalies" data-testid="anomaly-count">
            {summary.anomalies.toLocaleString('en-US')} anomalies
          </span>
        )}
      </div>
      <FilterBar filter={filter} onChange={setFilter} templateText={templateText} flaggedScore={threshold} />
      <div className="workspace-main">
        <div className="workspace-viewer">
          {lineSource && sourceId !== undefined ? (
            <LogViewer
              api={api}
              caseId={caseId}
              sourceId={sourceId}
              source={lineSource}
              theme={theme}
              timeBase={summary.timeRange?.min ?? null}
              templateText={templateLookup}
              highlightParams={highlightParams}
              onError={onError}
            />
          ) : (
            <div className="empty-note">Waiting for the first lines…</div>
          )}
          {filtered && (
            <div className="filter-count" data-testid="filter-count">
              {filtered.count.toLocaleString('en-US')} of {lines.toLocaleString('en-US')} lines
            </div>
          )}
        </div>
        <aside className="side-panel" aria-label="Templates and sessions">
          <div className="side-tabs" role="tablist">
            <button type="button" role="tab" className="side-tab" aria-selected={sideTab === 'templates'} onClick={() => setSideTab('templates')}>
              Templates
            </button>
            <button
              type="button"
              role="tab"
              className="side-tab"
              data-testid="tab-sessions"
              aria-selected={sideTab === 'sessions'}
              onClick={() => setSideTab('sessions')}
            >
              Sessions{sessions.summary && sessions.summary.flagged > 0 ? ` (${sessions.summary.flagged.toLocaleString('en-US')} flagged)` : ''}
            </button>
          </div>
          <div className="side-body">
            {sideTab === 'templates' ? (
              <TemplatesPanel
                templates={templates}
                totalLines={lines}
                flaggedScore={threshold}
                selected={selectedTemplates}
                onSelect={(id, additive) => {
                  const next = additive
                    ? selectedTemplates.includes(id)
                      ? selectedTemplates.filter((t) => t !== id)
                      : [...selectedTemplates, id]
                    : selectedTemplates.length === 1 && selectedTemplates[0] === id
                      ? []
                      : [id]
                  const { templates: _dropped, ...rest } = filter
                  setFilter(next.length > 0 ? { ...rest, templates: next } : rest)
                }}
              />
            ) : (
              <SessionsPanel
                summary={sessions.summary}
                sessions={sessions.sessions}
                selected={filter.sessions?.length === 1 ? (filter.sessions[0] ?? null) : null}
                onSelect={(session) => {
                  const { sessions: _s, fromTs: _f, toTs: _t, ...rest } = filter
                  if (!session) setFilter(rest)
                  // Windows have no session id on their lines: their time range stands in.
                  else if (session.kind === 'window' && session.firstTs !== null && session.lastTs !== null) {
                    setFilter({ ...rest, fromTs: session.firstTs, toTs: session.lastTs })
                  } else setFilter({ ...rest, sessions: [session.id] })
                }}
              />
            )}
          </div>
        </aside>
      </div>
      <div className="workspace-timeline">
        <Timeline
          data={timeline}
          theme={theme}
          selection={filter.fromTs !== undefined && filter.toTs !== undefined ? { fromTs: filter.fromTs, toTs: filter.toTs } : null}
          onSelect={(range) => {
            const { fromTs: _from, toTs: _to, ...rest } = filter
            setFilter(range ? { ...rest, fromTs: range.fromTs, toTs: range.toTs } : rest)
          }}
        />
      </div>
    </div>
  )
}
