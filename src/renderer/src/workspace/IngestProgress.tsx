import type { IngestProgressEvent } from '../../../shared/api/case-contract.ts'
import { ProgressBar } from '../components/ProgressBar.tsx'

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`
  const minutes = Math.floor(seconds / 60)
  return minutes < 60 ? `${minutes} min ${Math.round(seconds % 60)} s` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`
}

/** The ingest's progress: bar (when the size is known), lines, speed, time left, cancel. */
export function IngestProgress({ progress, onCancel }: { progress: IngestProgressEvent | null; onCancel: () => void }) {
  const share = progress && progress.totalBytes ? Math.min(1, progress.bytes / progress.totalBytes) : null
  return (
    <div className="ingest-progress" data-testid="ingest-progress" role="status">
      <ProgressBar share={share} />
      <span>
        {progress ? `${progress.lines.toLocaleString('en-US')} lines · ${Math.round(progress.linesPerSecond).toLocaleString('en-US')} lines/s` : 'Starting…'}
        {progress?.etaSeconds != null && ` · ${formatDuration(progress.etaSeconds)} left`}
      </span>
      <button type="button" className="text-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  )
}
