/**
 * Which slice of a long list the editor should hold. The editor keeps a window of lines around
 * what is on screen; when the visible part nears either edge of the window (and the list goes
 * on), the window is moved so the view sits in its middle again.
 */
export interface WindowPlan {
  start: number
  size: number
}

/** A window of `size` entries centred on `index`, clamped to the list. */
export function windowAround(index: number, total: number, size: number): WindowPlan {
  const length = Math.min(size, total)
  const start = Math.max(0, Math.min(index - Math.floor(length / 2), total - length))
  return { start, size: length }
}

/**
 * Whether the window must move to keep `firstVisible`…`firstVisible + visible` comfortably
 * inside it: within a quarter window of an edge that is not the list's own edge.
 */
export function needsRecentre(window: WindowPlan, firstVisible: number, visible: number, total: number): boolean {
  const margin = Math.floor(window.size / 4)
  const end = window.start + window.size
  const nearTop = firstVisible - window.start < margin && window.start > 0
  const nearBottom = end - (firstVisible + visible) < margin && end < total
  return nearTop || nearBottom
}

/** Scrollbar thumb geometry for a list of `total` entries with `visible` on screen. */
export function thumb(top: number, visible: number, total: number, track: number): { offset: number; length: number } {
  if (total <= visible || track <= 0) return { offset: 0, length: track }
  const length = Math.max(24, Math.round((visible / total) * track))
  const offset = Math.round((top / (total - visible)) * (track - length))
  return { offset: Math.max(0, Math.min(track - length, offset)), length }
}

/** Inverse of `thumb`: the first visible entry for a thumb dragged to `offset`. */
export function topForThumb(offset: number, visible: number, total: number, track: number): number {
  const { length } = thumb(0, visible, total, track)
  if (total <= visible || track <= length) return 0
  return Math.max(0, Math.min(total - visible, Math.round((offset / (track - length)) * (total - visible))))
}
