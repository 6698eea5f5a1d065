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
import { filteredSource, interleavedSource, wholeSource } from '../viewer/line-source.ts'
import type { LineSource } from '../viewer/line-source.ts'
import { LogViewer } from '../viewer/LogViewer.tsx'
import type { LineAction } from '../viewer/LogViewer.tsx'
import type { NormalTargetView } from '../../../shared/api/model-contract.ts'
import { CompareDialog } from '../models/CompareDialog.tsx'
import { ModelsDialog } from '../models/ModelsDialog.tsx'
import { RetrainDialog } from '../models/RetrainDialog.tsx'
import { ChangeSummary, TrainingProgress } from '../models/TrainingStatus.tsx'
import { useTraining } from '../models/use-training.ts'
import { AlertsPanel } from '../alerts/AlertsPanel.tsx'
import { ExportDialog } from '../export/ExportDialog.tsx'
import { useBookmarks } from '../export/use-bookmarks.ts'
import { useAlerts } from '../alerts/use-alerts.ts'
import type { AlertRow } from '../alerts/use-alerts.ts'
import { FilterBar } from './FilterBar.tsx'
import { IngestProgress } from './IngestProgress.tsx'
import { TemplatesPanel } from './TemplatesPanel.tsx'
import { Timeline } from './Timeline.tsx'
import { SessionsPanel } from './SessionsPanel.tsx'
import { useCaseSummary, useSessions, useTemplates, useTimeline } from './use-case-data.ts'
import { useTemplateEdits } from './use-template-edits.ts'
import './workspace.css'

let filterTokens = 0
/** A name for one filter request, unique in this window, so it can be cancelled. */
function filterToken(): string {
  return `filter-${++filterTokens}-${Math.random().toString(36).slice(2, 10)}`
}

export interface WorkspaceProps {
  api: FaultlineApi
  initial: CaseSummary
  theme: Theme
  transport: 'electron' | 'web'
  /** Desktop notifications for new alerts (a setting). */
  notifications: boolean
  onNotificationsChange: (on: boolean) => void
  onSummary: (summary: CaseSummary) => void
  onError: (error: unknown) => void
  onNotice: (message: string) => void
}

export function Workspace({ api, initial, theme, transport, notifications, onNotificationsChange, onSummary, onError, onNotice }: WorkspaceProps) {
  const { summary, progress, lines: firstLines, ingesting } = useCaseSummary(api, initial, onError)
  const caseId = summary.caseId
  const revision = summary.revision
  // A case of several sources shows one at a time, or all of them interleaved by time.
  const [picked, setPicked] = useState<number | 'all'>(summary.sources[0]?.id ?? 0)
  const interleaved = picked === 'all' && summary.sources.length > 1
  const source = summary.sources.find((s) => s.id === picked) ?? summary.sources[0]
  const sourceId = source?.id
  const lines = source === summary.sources[0] ? firstLines : (source?.lines ?? 0)
  const allLines = summary.sources.reduce((sum, s) => sum + (s === summary.sources[0] ? firstLines : s.lines), 0)
  const sourceNames = useMemo(() => new Map(summary.sources.map((s) => [s.id, s.name])), [summary.sources])
  const sourceLabel = useCallback((id: number) => sourceNames.get(id) ?? `source ${id}`, [sourceNames])
  // Panels refresh when the ingest moves on to a new state, not on every progress tick.
  const version = `${summary.revision}:${source?.state}:${ingesting ? Math.floor(lines / 50_000) : lines}`
  const templates = useTemplates(api, caseId, version, onError)
  const timeline = useTimeline(api, caseId, sourceId, version, onError)
  const sessions = useSessions(api, caseId, sourceId, ingesting ? 'ingesting' : version, onError)
  const [sideTab, setSideTab] = useState<'templates' | 'sessions' | 'alerts'>('templates')
  const [filter, setFilter] = useState<LineFilter>({})
  const [highlightParams, setHighlightParams] = useState(false)
  const [dialog, setDialog] = useState<'models' | 'retrain' | 'compare' | 'export' | null>(null)
  const [jump, setJump] = useState<{ lineNo: number; nonce: number } | undefined>(undefined)
  const jumpTo = useCallback((lineNo: number) => setJump((previous) => ({ lineNo, nonce: (previous?.nonce ?? 0) + 1 })), [])
  const training = useTraining(api, caseId)
  const closeDialog = useCallback(() => setDialog(null), [])
  // What every dialog of the case gets.
  const dialogBase = { api, transport, caseId, onClose: closeDialog, onError }
  const notify = useCallback(
    (group: AlertRow) => {
      if (!notifications) return
      const title = `Faultline: new alert (score ${group.first.score.toFixed(2)})`
      const body = `${group.first.template}\n${group.first.reasons[0] ?? ''}`
      if (transport === 'electron') void api.request('app.notify', { title, body }).catch(onError)
      else if ('Notification' in window && Notification.permission === 'granted') new Notification(title, { body })
    },
    [api, notifications, transport, onError]
  )
  const alerts = useAlerts(api, caseId, notify)
  const { markRead } = alerts
  useEffect(() => {
    if (sideTab === 'alerts') markRead()
  }, [sideTab, alerts.unread, markRead])
  const following = summary.following
  const [follow, setFollow] = useState(false)
  // Lines on record when following stopped: what arrived since is announced, not scrolled to.
  const [seenLines, setSeenLines] = useState(0)
  const changeFollow = useCallback(
    (on: boolean) => {
      setFollow(on)
      if (!on) setSeenLines(lines)
    },
    [lines]
  )
  /** Shows a line, leaving follow mode (the view would snap back to the end otherwise). */
  const showLine = useCallback(
    (lineNo: number) => {
      if (follow) changeFollow(false)
      jumpTo(lineNo)
    },
    [follow, changeFollow, jumpTo]
  )
  // The engine's answer for a filter, kept with the filter it answers so a stale one is ignored.
  const [answer, setAnswer] = useState<{ for: LineFilter; sourceId: number; revision: number; filterId: string; count: number } | null>(null)
  const [refused, setRefused] = useState<LineFilter | null>(null)
  // Another source picked keeps the filter, not the answer for the last one.
  const filtered =
    !interleaved && answer && answer.for === filter && answer.sourceId === sourceId && answer.revision === summary.revision && !isEmptyFilter(filter) ? answer : null

  useEffect(() => onSummary(summary), [summary, onSummary])

  useEffect(() => {
    if (sourceId === undefined || isEmptyFilter(filter) || interleaved) return
    let current = true
    let answered = false
    const token = filterToken()
    api.request('case.filter', { caseId, sourceId, filter, token }).then(
      (result) => {
        answered = true
        if (current) setAnswer({ for: filter, sourceId, revision, ...result })
      },
      (error: unknown) => {
        answered = true
        if (!current) return
        setRefused(filter)
        onError(error)
      }
    )
    return () => {
      current = false
      // A text search still reading a large case is stopped rather than left to finish unseen.
      if (!answered && filter.text) api.request('case.cancelFilter', { caseId, token }).catch(() => {})
    }
  }, [api, caseId, sourceId, interleaved, filter, version, revision, onError])
  // Waiting for the engine's answer (not after it refused the filter, say a broken regex).
  const filtering = sourceId !== undefined && !interleaved && !isEmptyFilter(filter) && !filtered && refused !== filter

  const lineSource: LineSource | null = useMemo(() => {
    if (sourceId === undefined) return null
    if (interleaved) return interleavedSource(api, caseId, allLines, revision)
    return filtered ? filteredSource(api, caseId, filtered.filterId, filtered.count) : wholeSource(api, caseId, sourceId, lines, revision)
  }, [api, caseId, sourceId, interleaved, allLines, filtered, lines, revision])

  const scored = summary.model !== null
  const marks = useBookmarks(api, caseId, sourceId, onError)
  const toggleBookmark = marks.toggle
  const lineActions: LineAction[] = useMemo(() => {
    const markNormal = (target: NormalTargetView): void => {
      if (!scored) onNotice('The case is not scored yet: nothing to mark normal')
      else api.request('case.markNormal', { caseId, target }).catch(onError)
    }
    return [
      {
        id: 'bookmark',
        label: 'This matters: bookmark it for the export',
        key: 'B',
        run: (line) => toggleBookmark(line.lineNo)
      },
      {
        id: 'mark-normal',
        label: 'This is normal: stop flagging lines like it',
        key: 'N',
        run: (line) => {
          if (scored && !line.flagged) onNotice(`Line ${line.lineNo.toLocaleString('en-US')} is not flagged`)
          else markNormal({ kind: 'line', sourceId: sourceId ?? 1, lineNo: line.lineNo })
        }
      },
      {
        id: 'mark-template-normal',
        label: "This line's template is normal",
        key: 'T',
        run: (line) => markNormal({ kind: 'template', templateId: line.template })
      }
    ]
  }, [api, caseId, sourceId, scored, onError, onNotice, toggleBookmark])

  const templatesById = useMemo(() => new Map(templates.map((t) => [t.id, t.text])), [templates])
  const templateLookup = useCallback((id: number) => templatesById.get(id), [templatesById])
  const templateText = useCallback((id: number) => templatesById.get(id) ?? `template ${id}`, [templatesById])
  const selectedTemplates = filter.templates ?? []
  // After an edit, the templates it made or kept are the selection (merged-away ids are gone).
  const selectEdited = useCallback((ids: number[]) => {
    setFilter(({ templates: _dropped, ...rest }) => (ids.length > 0 ? { ...rest, templates: ids } : rest))
  }, [])
  const editBlocked =
    summary.model === null ? 'Template edits need a scored case' : training.running || ingesting || summary.scoring ? 'Wait until the case is scored' : null
  const templateEditing = useTemplateEdits(api, caseId, version, editBlocked, selectEdited, onError)
  const threshold = summary.model?.lineThreshold ?? 0.5

  return (
    <div className="workspace" data-testid="workspace">
      <div className="case-bar">
        <span className="case-title">{summary.title}</span>
        {summary.sources.length > 1 ? (
          <select
            className="case-source mono"
            data-testid="source-picker"
            aria-label="Source"
            value={interleaved ? 'all' : String(sourceId)}
            onChange={(event) => setPicked(event.target.value === 'all' ? 'all' : Number(event.target.value))}
          >
            {summary.sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
            <option value="all">All sources, by time</option>
          </select>
        ) : (
          source && <span className="case-source mono">{source.name}</span>
        )}
        <button
          type="button"
          className="case-model text-button"
          data-testid="open-models"
          title="Models: choose, train, import or export"
          onClick={() => setDialog('models')}
        >
          {summary.model
            ? `model: ${summary.model.name}`
            : summary.scoring
              ? 'scoring: learning what is usual in this file…'
              : 'not scored'}
        </button>
        <button
          type="button"
          className="text-button"
          data-testid="open-compare"
          disabled={!scored}
          title="Templates new, vanished or changed in rate against the model's baseline"
          onClick={() => setDialog('compare')}
        >
          Compare…
        </button>
        <button
          type="button"
          className="text-button"
          data-testid="open-export"
          disabled={sourceId === undefined || ingesting}
          title="Flagged and bookmarked lines with context: CSV, JSON Lines or a Markdown postmortem report"
          onClick={() => setDialog('export')}
        >
          Export…
        </button>
        <button
          type="button"
          className="text-button"
          data-testid="open-retrain"
          disabled={training.running || ingesting || sourceId === undefined}
          title="Teach Faultline what normal looks like, then re-score this case"
          onClick={() => setDialog('retrain')}
        >
          Retrain…
        </button>
        <span className="case-spacer" />
        <button
          type="button"
          className="text-button"
          data-testid="toggle-follow"
          aria-pressed={following}
          disabled={!following && (ingesting || training.running || sourceId === undefined)}
          title={following ? 'Stop following the file' : 'Follow the file as it grows (tail -f): new lines are scored as they arrive; F keeps the view at the end'}
          onClick={() => {
            api.request('case.follow', { caseId, on: !following }).then(({ following: on }) => {
              if (on) changeFollow(true)
            }, onError)
          }}
        >
          {following ? '■ Stop following' : 'Follow file'}
        </button>
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
        {training.running && training.event && (
          <TrainingProgress event={training.event} onCancel={() => void api.request('case.cancelTraining', { caseId }).catch(onError)} />
        )}
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
      {training.event && !training.running && (
        <ChangeSummary
          event={training.event}
          onJump={showLine}
          onUndo={(markId) => void api.request('case.unmarkNormal', { caseId, markId }).catch(onError)}
          onDismiss={training.dismiss}
        />
      )}
      {interleaved ? (
        <div className="empty-note" data-testid="interleaved-note">
          {summary.sources.length} sources interleaved by time, each line tagged with its own. Filters, the timeline and sessions work on one source: pick it above.
        </div>
      ) : (
        <FilterBar filter={filter} onChange={setFilter} templateText={templateText} flaggedScore={threshold} />
      )}
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
              // An alert can name a line a moment before the count that includes it arrives.
              jump={jump && jump.lineNo <= lines && !interleaved ? jump : undefined}
              follow={follow && !filtered}
              // Bookmarks and marks name a line of one source: not offered while several are shown.
              lineActions={interleaved ? undefined : lineActions}
              bookmarked={interleaved ? undefined : marks.lines}
              sourceLabel={interleaved ? sourceLabel : undefined}
              onFollowChange={changeFollow}
              onError={onError}
            />
          ) : (
            <div className="empty-note">Waiting for the first lines…</div>
          )}
          {!follow && !filtered && seenLines > 0 && lines > seenLines && (
            <button type="button" className="new-lines" data-testid="new-lines" onClick={() => changeFollow(true)}>
              {(lines - seenLines).toLocaleString('en-US')} new lines ↓
            </button>
          )}
          {filtering && (
            <div className="filter-count" data-testid="filter-pending" role="status">
              Filtering…
            </div>
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
            <button
              type="button"
              role="tab"
              className="side-tab"
              data-testid="tab-alerts"
              aria-selected={sideTab === 'alerts'}
              onClick={() => setSideTab('alerts')}
            >
              Alerts
              {alerts.unread > 0 && sideTab !== 'alerts' && (
                <span className="tab-badge" data-testid="alerts-unread">
                  {alerts.unread > 999 ? '999+' : alerts.unread}
                </span>
              )}
            </button>
          </div>
          <div className="side-body">
            {sideTab === 'alerts' ? (
              <AlertsPanel
                alerts={alerts}
                following={following}
                notifications={notifications}
                onNotificationsChange={(on) => {
                  if (on && transport === 'web' && 'Notification' in window && Notification.permission === 'default') void Notification.requestPermission()
                  onNotificationsChange(on)
                }}
                onJump={showLine}
              />
            ) : sideTab === 'templates' ? (
              <TemplatesPanel
                templates={templates}
                // Templates are the case's, across its sources.
                totalLines={allLines}
                flaggedScore={threshold}
                selected={selectedTemplates}
                editing={templateEditing}
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
      {dialog === 'models' && (
        <ModelsDialog
          {...dialogBase}
          activeId={summary.model?.libraryId ?? null}
          busy={training.running || ingesting}
          onTrainNew={() => setDialog('retrain')}
          onNotice={onNotice}
        />
      )}
      {dialog === 'export' && sourceId !== undefined && (
        <ExportDialog {...dialogBase} sourceId={sourceId} flagged={summary.anomalies} bookmarks={marks.bookmarks.length} onNotice={onNotice} />
      )}
      {dialog === 'compare' && (
        <CompareDialog
          {...dialogBase}
          revision={revision}
          onShow={(ids) => {
            const { templates: _dropped, ...rest } = filter
            setFilter({ ...rest, templates: ids })
            setDialog(null)
          }}
        />
      )}
      {dialog === 'retrain' && sourceId !== undefined && (
        <RetrainDialog
          {...dialogBase}
          sourceId={sourceId}
          totalLines={lines}
          range={filter.fromTs !== undefined && filter.toTs !== undefined ? { fromTs: filter.fromTs, toTs: filter.toTs } : null}
        />
      )}
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
