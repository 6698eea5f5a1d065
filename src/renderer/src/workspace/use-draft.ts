/** Small hooks for controls that edit a controlled value with a delay (debounced inputs). */
import { useCallback, useLayoutEffect, useRef, useState } from 'react'
import type { RefObject } from 'react'

/**
 * Local editing state for a value owned by the parent. The draft follows the parent's value when
 * that changes from outside (a chip removed, "Clear all"), but not when the parent merely echoes
 * what this control emitted, so typing that went on meanwhile is not lost.
 * Returns `[draft, setDraft, markEmitted]`; call `markEmitted(v)` when handing `v` to the parent.
 */
export function useDraft<T>(value: T, equal: (a: T, b: T) => boolean = Object.is): readonly [T, (next: T) => void, (emitted: T) => void] {
  const [draft, setDraft] = useState(value)
  const [seen, setSeen] = useState(value)
  const [emitted, setEmitted] = useState<{ value: T } | null>(null)
  if (!equal(seen, value)) {
    // Adjusting state while rendering, the documented way to react to a changed prop.
    setSeen(value)
    if (!emitted || !equal(emitted.value, value)) setDraft(value)
  }
  const markEmitted = useCallback((next: T) => setEmitted({ value: next }), [])
  return [draft, setDraft, markEmitted] as const
}

/** A ref that always holds the latest value, for callbacks and timers that outlive a render. */
export function useLatest<T>(value: T): RefObject<T> {
  const ref = useRef(value)
  useLayoutEffect(() => {
    ref.current = value
  })
  return ref
}
