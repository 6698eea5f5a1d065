import type { TrainingEvent } from '../../../shared/api/model-contract.ts'
import { formatCount } from '../workspace/format.ts'
import { ProgressBar } from '../components/ProgressBar.tsx'

/** Training or re-scoring under way: what it is doing, how far, and a way to stop it. */
export function TrainingProgress({ event, onCancel }: { event: TrainingEvent; onCancel: () => void }) {
  return (
    <div className="training-status" data-testid="training-status" role="status">
      <ProgressBar share={event.share} />
      <span>{event.message}</span>
      <button type="button" className="text-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}

/** What the last re-score changed, with the first lines on each side one click away. */
export function ChangeSummary({
  event,
  onJump,
  onUndo,
  onDismiss
}: {
  event: TrainingEvent
  onJump: (lineNo: number) => void
  /** Takes a "this is normal" back; offered when the event carries its mark. */
  onUndo: (markId: number) => void
  onDismiss: () => void
}) {
  const change = event.change
  return (
    <div className="change-summary" data-testid="change-summary" role="status">
      {change ? (
        <>
          <span>{event.message}</span>
          <span className="added" data-testid="newly-flagged">
            +{formatCount(change.newlyFlagged)} newly flagged
          </span>
          <LineLinks lines={change.newlyFlaggedLines} onJump={onJump} />
          <span className="cleared" data-testid="cleared">
            −{formatCount(change.cleared)} cleared
          </span>
          <LineLinks lines={change.clearedLines} onJump={onJump} />
          <span>{formatCount(change.flagged)} flagged now</span>
        </>
      ) : (
        <span>{event.message}</span>
      )}
      <span className="case-spacer" />
      {event.undoMark !== null && (
        <button type="button" className="text-button" data-testid="undo-normal" onClick={() => onUndo(event.undoMark as number)}>
          Undo
        </button>
      )}
      <button type="button" className="text-button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  )
}

function LineLinks({ lines, onJump }: { lines: readonly number[]; onJump: (lineNo: number) => void }) {
  if (lines.length === 0) return null
  return (
    <span className="line-links">
      {lines.slice(0, 5).map((lineNo) => (
        <button key={lineNo} type="button" className="line-link" title={`Go to line ${lineNo}`} onClick={() => onJump(lineNo)}>
          {lineNo}
        </button>
      ))}
    </span>
  )
}
