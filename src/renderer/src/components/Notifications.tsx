export interface Notice {
  id: number
  level: 'error' | 'info'
  message: string
}

/** Readable, dismissible notices for errors from the engine: never a blank screen. */
export function Notifications({ notices, onDismiss }: { notices: Notice[]; onDismiss: (id: number) => void }) {
  if (notices.length === 0) return null
  return (
    <div className="notifications" role="status" aria-live="polite">
      {notices.map((notice) => (
        <div key={notice.id} className={`notice notice-${notice.level}`}>
          <span>{notice.message}</span>
          <button type="button" aria-label="Dismiss" onClick={() => onDismiss(notice.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  )
}
