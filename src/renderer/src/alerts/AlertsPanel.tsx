/** Live alerts, newest first, one row per template burst; a click shows the line. */
import type { AlertsState } from './use-alerts.ts'
import { formatScore, truncate, utcTime } from '../workspace/format.ts'
import './AlertsPanel.css'

export interface AlertsPanelProps {
  alerts: AlertsState
  following: boolean
  notifications: boolean
  onNotificationsChange: (on: boolean) => void
  onJump: (lineNo: number) => void
}

export function AlertsPanel({ alerts, following, notifications, onNotificationsChange, onJump }: AlertsPanelProps) {
  const { groups, paused, waiting, total } = alerts
  return (
    <div className="alerts-panel" data-testid="alerts-panel">
      <div className="alerts-toolbar">
        <button type="button" className="text-button" data-testid="alerts-pause" aria-pressed={paused} onClick={() => alerts.setPaused(!paused)}>
          {paused ? `Resume${waiting > 0 ? ` (${waiting.toLocaleString('en-US')} waiting)` : ''}` : 'Pause'}
        </button>
        <button type="button" className="text-button" disabled={total === 0} onClick={alerts.clear}>
          Clear
        </button>
        <label className="alerts-notify" title="A desktop notification for each new kind of alert">
          <input type="checkbox" checked={notifications} onChange={(event) => onNotificationsChange(event.target.checked)} />
          Notify me
        </label>
      </div>
      {groups.length === 0 ? (
        <p className="hint alerts-empty">
          {following ? 'Following the file: alerts appear here as flagged lines arrive.' : 'Follow the file (case bar) to be told when something new happens.'}
        </p>
      ) : (
        <ol className="alerts-list">
          {groups.map((group) => (
            <li key={group.id}>
              <button
                type="button"
                className="alert-row"
                data-testid="alert-group"
                data-count={group.count}
                data-last-line={group.last.lineNo}
                title={`First at line ${group.first.lineNo.toLocaleString('en-US')}${group.count > 1 ? `, latest at line ${group.last.lineNo.toLocaleString('en-US')}` : ''}`}
                onClick={() => onJump(group.first.lineNo)}
              >
                <span className="alert-head">
                  <span className="alert-time mono">{utcTime(group.last.time, 'never')}</span>
                  <span className="alert-score">{formatScore(group.maxScore)}</span>
                  {group.count > 1 && (
                    <span className="alert-count" data-testid="alert-count">
                      ×{group.count.toLocaleString('en-US')}
                    </span>
                  )}
                  <span className="alert-line mono">line {group.first.lineNo.toLocaleString('en-US')}</span>
                </span>
                <span className="alert-template mono">{truncate(group.first.template, 160)}</span>
                {group.first.reasons.slice(0, 2).map((reason) => (
                  <span key={reason} className="alert-reason">
                    {reason}
                  </span>
                ))}
              </button>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}
