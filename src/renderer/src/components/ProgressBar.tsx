/** A thin progress bar: filled to `share` (0…1), or sliding while how far is not known. */
export function ProgressBar({ share }: { share: number | null }) {
  return (
    <div className={`progress-bar${share === null ? ' indeterminate' : ''}`} aria-hidden>
      <div style={{ width: share === null ? undefined : `${(share * 100).toFixed(1)}%` }} />
    </div>
  )
}
