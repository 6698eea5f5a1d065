import { useState } from 'react'
import { parseGotoTarget } from './goto-target.ts'

export interface GotoBoxProps {
  timeBase: number | null
  onLine: (lineNo: number) => void
  onTime: (ts: number) => void | Promise<void>
  onCancel: () => void
}

/** Ctrl+G: a line number or a time. */
export function GotoBox({ timeBase, onLine, onTime, onCancel }: GotoBoxProps) {
  const [text, setText] = useState('')
  const [error, setError] = useState<string | null>(null)
  return (
    <form
      className="goto-box"
      data-testid="goto-box"
      onSubmit={(event) => {
        event.preventDefault()
        const target = parseGotoTarget(text, timeBase)
        if (target.kind === 'error') setError(target.message)
        else if (target.kind === 'line') onLine(target.lineNo)
        else void onTime(target.ts)
      }}
    >
      <input
        autoFocus
        aria-label="Go to line or time"
        placeholder="Go to line, or time (15:09:30)"
        value={text}
        onChange={(event) => {
          setText(event.target.value)
          setError(null)
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') onCancel()
        }}
        onBlur={onCancel}
      />
      {error && <div className="goto-error">{error}</div>}
    </form>
  )
}
