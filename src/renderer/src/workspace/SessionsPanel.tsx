/**
 * Sessions (requests, traces, blocks, jobs) most anomalous first, each with its main reason; for
 * logs without session ids, the time windows that stand in for them. Clicking one filters the
 * viewer to its lines.
 */
import type { SessionRowView, SessionSummaryView } from '../../../shared/api/case-contract.ts'
import './SessionsPanel.css'

export interface SessionsPanelProps {
  summary: SessionSummaryView | null
  sessions: SessionRowView[]
  selected: number | null
  onSelect: (session: SessionRowView | null) => void
}

export function SessionsPanel({ summary, sessions, selected, onSelect }: SessionsPanelProps) {
  if (!summary || summary.kind === null) {
    return <div className="sessions-empty">No sessions: the lines carry no session id and no timestamps.</div>
  }
  return (
    <div className="sessions-panel" data-testid="sessions-panel">
      <div className="sessions-head">
        {summary.kind === 'session'
          ? `${summary.count.toLocaleString('en-US')} sessions by ${summary.key ?? 'id'}`
          : `${summary.count.toLocaleString('en-US')} time windows (no session id in these lines)`}
        {' · '}
        <strong>{summary.flagged.toLocaleString('en-US')} flagged</strong>
      </div>
      <ul className="sessions-list" role="listbox" aria-label="Sessions">
        {sessions.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              role="option"
              aria-selected={selected === s.id}
              data-testid="session-row"
              className={`session-row${s.anomaly ? ' flagged' : ''}${selected === s.id ? ' selected' : ''}`}
              onClick={() => onSelect(selected === s.id ? null : s)}
            >
              <span className="session-score" style={{ width: `${Math.round((s.score ?? 0) * 100)}%` }} aria-hidden />
              <span className="session-key mono">{s.key}</span>
              <span className="session-meta">
                {s.score === null ? '–' : s.score.toFixed(2)} · {s.lines.toLocaleString('en-US')} lines · from line {s.firstLine.toLocaleString('en-US')}
              </span>
              {s.reasons[0] && <span className="session-reason">{s.reasons[0]}</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  )
}
