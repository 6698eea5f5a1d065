import { useLayoutEffect, useRef, useState } from 'react'
import { thumb, topForThumb } from './window-plan.ts'

export interface ScrollTrackProps {
  top: number
  visible: number
  total: number
  onScrollTo: (index: number) => void
}

/** A scrollbar for the whole list (the editor itself only ever holds a window of it). */
export function ScrollTrack({ top, visible, total, onScrollTo }: ScrollTrackProps) {
  const track = useRef<HTMLDivElement>(null)
  const [dragging, setDragging] = useState(false)
  const [height, setHeight] = useState(0)
  useLayoutEffect(() => {
    const element = track.current
    if (!element) return
    const observer = new ResizeObserver(() => setHeight(element.clientHeight))
    observer.observe(element)
    setHeight(element.clientHeight)
    return () => observer.disconnect()
  }, [])
  const { offset, length } = thumb(top, visible, total, height)

  const scrollToPointer = (clientY: number, grab: number): void => {
    const rect = track.current?.getBoundingClientRect()
    if (!rect) return
    onScrollTo(topForThumb(clientY - rect.top - grab, visible, total, rect.height))
  }

  return (
    <div
      className="scroll-track"
      ref={track}
      role="scrollbar"
      aria-orientation="vertical"
      aria-valuemin={0}
      aria-valuemax={Math.max(0, total - visible)}
      aria-valuenow={top}
      aria-label="Position in the log"
      data-testid="scroll-track"
      onPointerDown={(event) => {
        if (event.target !== event.currentTarget) return
        // A click on the track pages there, centring the thumb under the pointer.
        scrollToPointer(event.clientY, length / 2)
      }}
    >
      {total > visible && (
        <div
          className={`scroll-thumb${dragging ? ' dragging' : ''}`}
          style={{ top: offset, height: length }}
          onPointerDown={(event) => {
            const grab = event.clientY - (event.currentTarget.getBoundingClientRect().top ?? 0)
            event.currentTarget.setPointerCapture(event.pointerId)
            setDragging(true)
            const move = (e: PointerEvent): void => scrollToPointer(e.clientY, grab)
            const up = (): void => {
              setDragging(false)
              window.removeEventListener('pointermove', move)
              window.removeEventListener('pointerup', up)
            }
            window.addEventListener('pointermove', move)
            window.addEventListener('pointerup', up)
          }}
        />
      )}
    </div>
  )
}
