import { useEffect, useId, useMemo, useRef } from 'react'
import type { KeyboardEvent } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { describeTimeRange, formatCount, formatDuration, formatTimeRange, utcDateTime } from './format.ts'
import {
  bucketAt,
  chartColumns,
  countAxisLabels,
  countIncrs,
  countRange,
  hasTimelineData,
  snapToBuckets,
  timeAxisLabels,
  timelineEnd,
  withAlpha
} from './timeline-model.ts'
import type { TimeRange } from './timeline-model.ts'
import { useLatest } from './use-draft.ts'
import './Timeline.css'

export interface TimelineProps {
  /** Lines and anomalies per bucket (the result of `case.timeline`); null when the log has no timestamps. */
  data: { fromTs: number; bucketMs: number; lines: number[]; anomalies: number[] } | null
  /** The brushed time range, shown on the chart. */
  selection: { fromTs: number; toTs: number } | null
  /** A range was brushed (snapped to whole buckets), or cleared (null). */
  onSelect(range: { fromTs: number; toTs: number } | null): void
  theme: 'dark' | 'light'
  /** Chart height in px. Without it the chart fills its container's height (give the container one). */
  height?: number
}

interface Palette {
  fg: string
  muted: string
  border: string
  accent: string
  font: string
}

/** Mirrors styles.css, for when the CSS variables cannot be read. */
const fallbackPalette: Record<TimelineProps['theme'], Palette> = {
  dark: { fg: '#d4d7dd', muted: '#8b929c', border: '#32363d', accent: '#e5534b', font: 'system-ui, sans-serif' },
  light: { fg: '#1f2328', muted: '#59636e', border: '#d1d9e0', accent: '#cf222e', font: 'system-ui, sans-serif' }
}

function readPalette(element: HTMLElement, theme: TimelineProps['theme']): Palette {
  const style = getComputedStyle(element)
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback
  const base = fallbackPalette[theme]
  return {
    fg: read('--fg', base.fg),
    muted: read('--fg-muted', base.muted),
    border: read('--border', base.border),
    accent: read('--accent', base.accent),
    font: read('--font-ui', base.font)
  }
}

const hidden = { left: 0, top: 0, width: 0, height: 0 }

/** Draws `range` as uPlot's selection box (without firing the select hook). */
function showSelection(u: uPlot, range: TimeRange | null): void {
  const width = u.over.clientWidth
  const height = u.over.clientHeight
  if (!range || width === 0) {
    u.setSelect(hidden, false)
    return
  }
  const clamp = (px: number): number => Math.min(width, Math.max(0, px))
  const left = clamp(u.valToPos(range.fromTs, 'x'))
  const right = clamp(u.valToPos(range.toTs, 'x'))
  u.setSelect(right > left ? { left, top: 0, width: Math.max(1, right - left), height } : hidden, false)
}

/**
 * Lines per time bucket (a stepped area) with the anomalies per bucket overlaid as accent bars on
 * their own scale (right axis), UTC time axis. Drag to select a time range; double-click, Escape
 * or × clears it.
 */
export function Timeline({ data, selection, onSelect, theme, height }: TimelineProps) {
  const hintId = useId()
  const host = useRef<HTMLDivElement>(null)
  const hover = useRef<HTMLSpanElement>(null)
  const plot = useRef<uPlot | null>(null)
  const dataRef = useLatest(data)
  const selectionRef = useLatest(selection)
  const onSelectRef = useLatest(onSelect)
  const show = hasTimelineData(data)

  // Create the chart when it appears, and again on a theme or height change (colours are baked in).
  useEffect(() => {
    const element = host.current
    if (!show || !element) return
    let chart: uPlot | null = null
    const sizeOf = (): { width: number; height: number } => ({
      width: Math.max(0, Math.floor(element.clientWidth)),
      height: Math.max(40, Math.floor(height ?? element.clientHeight))
    })

    // Wait a frame: the app switches `data-theme` in an effect that runs after this one.
    const frame = requestAnimationFrame(() => {
      const current = dataRef.current
      if (!hasTimelineData(current)) return
      const palette = readPalette(element, theme)
      const font = `11px ${palette.font}`
      const axisBase = {
        stroke: palette.muted,
        font,
        grid: { stroke: withAlpha(palette.border, 0.9), width: 1 },
        ticks: { stroke: palette.border, width: 1, size: 3 }
      }
      const rangeOf = (column: 'lines' | 'anomalies') => (): [number, number] => {
        const d = dataRef.current
        return countRange(d ? d[column] : [])
      }
      const opts: uPlot.Options = {
        ...sizeOf(),
        ms: 1,
        tzDate: (ts) => uPlot.tzDate(new Date(ts), 'Etc/UTC'),
        padding: [8, 6, 0, 0],
        legend: { show: false },
        cursor: {
          y: false,
          points: { show: false },
          drag: { x: true, y: false, setScale: false, dist: 4 }
        },
        select: { show: true, left: 0, top: 0, width: 0, height: 0 },
        scales: {
          x: {
            time: true,
            range: (): [number, number] => {
              const d = dataRef.current
              return d && hasTimelineData(d) ? [d.fromTs, timelineEnd(d)] : [0, 1]
            }
          },
          lines: { range: rangeOf('lines') },
          anomalies: { range: rangeOf('anomalies') }
        },
        axes: [
          {
            ...axisBase,
            space: 96,
            size: 24,
            values: (_u, splits, _axis, _space, incr) => timeAxisLabels(splits, incr)
          },
          { ...axisBase, scale: 'lines', size: 42, space: 18, incrs: countIncrs, values: (_u, splits) => countAxisLabels(splits) },
          {
            ...axisBase,
            stroke: palette.accent,
            scale: 'anomalies',
            side: 1,
            size: 34,
            space: 18,
            incrs: countIncrs,
            grid: { show: false },
            values: (_u, splits) => countAxisLabels(splits)
          }
        ],
        series: [
          {},
          {
            label: 'lines',
            scale: 'lines',
            stroke: palette.muted,
            width: 1,
            fill: withAlpha(palette.muted, theme === 'dark' ? 0.32 : 0.24),
            paths: uPlot.paths.stepped?.({ align: 1 }),
            points: { show: false }
          },
          {
            label: 'anomalies',
            scale: 'anomalies',
            stroke: palette.accent,
            width: 0,
            fill: withAlpha(palette.accent, 0.85),
            paths: uPlot.paths.bars?.({ align: 1, size: [0.9, Infinity, 1] }),
            points: { show: false }
          }
        ],
        hooks: {
          setSelect: [
            (u) => {
              const d = dataRef.current
              const { left, width } = u.select
              if (!d || !hasTimelineData(d) || width < 2) return
              const range = snapToBuckets(d, u.posToVal(left, 'x'), u.posToVal(left + width, 'x'))
              showSelection(u, range)
              onSelectRef.current(range)
            }
          ],
          setCursor: [
            (u) => {
              const target = hover.current
              const d = dataRef.current
              if (!target) return
              const left = u.cursor.left ?? -1
              const index = d && hasTimelineData(d) && left >= 0 ? bucketAt(d, u.posToVal(left, 'x')) : -1
              if (!d || index < 0) {
                target.textContent = ''
                return
              }
              const start = d.fromTs + index * d.bucketMs
              target.textContent = `${utcDateTime(start)} +${formatDuration(d.bucketMs)} · ${formatCount(d.lines[index] ?? 0)} lines · ${formatCount(d.anomalies[index] ?? 0)} anomalies`
            }
          ],
          setSize: [(u) => showSelection(u, selectionRef.current)]
        }
      }
      chart = new uPlot(opts, chartColumns(current), element)
      plot.current = chart
      showSelection(chart, selectionRef.current)

      const over = chart.over
      // A click without a drag hides uPlot's box; the range still holds, so draw it again.
      over.addEventListener('click', () => {
        if (chart && chart.select.width < 1) showSelection(chart, selectionRef.current)
      })
      over.addEventListener('dblclick', () => {
        if (selectionRef.current) onSelectRef.current(null)
      })
    })

    const observer = new ResizeObserver(() => chart?.setSize(sizeOf()))
    observer.observe(element)
    return () => {
      cancelAnimationFrame(frame)
      observer.disconnect()
      chart?.destroy()
      chart = null
      plot.current = null
    }
  }, [show, theme, height, dataRef, selectionRef, onSelectRef])

  // New counts (ingest still going, another source): update in place.
  useEffect(() => {
    const u = plot.current
    if (!u || !data || !hasTimelineData(data)) return
    u.setData(chartColumns(data))
    showSelection(u, selectionRef.current)
  }, [data, selectionRef])

  useEffect(() => {
    if (plot.current) showSelection(plot.current, selection)
  }, [selection])

  const summary = useMemo(() => {
    if (!data || !hasTimelineData(data)) return ''
    let lines = 0
    let anomalies = 0
    for (const n of data.lines) lines += n
    for (const n of data.anomalies) anomalies += n
    return `${describeTimeRange(data.fromTs, timelineEnd(data))} · ${formatCount(lines)} lines · ${formatCount(anomalies)} anomalies`
  }, [data])

  const onKeyDown = (event: KeyboardEvent<HTMLElement>): void => {
    if (event.key === 'Escape' && selection) {
      event.preventDefault()
      onSelect(null)
    }
  }

  return (
    <section className="timeline" data-testid="timeline" aria-label="Timeline" onKeyDown={onKeyDown}>
      <div className="tl-head">
        {show && (
          <span className="tl-legend" aria-hidden="true">
            <span className="tl-swatch tl-swatch-lines" /> lines
            <span className="tl-swatch tl-swatch-anomalies" /> anomalies
          </span>
        )}
        <span className="tl-readout mono">
          <span className="tl-hover" ref={hover} />
          {summary && <span className="tl-summary">{summary}</span>}
        </span>
        {selection && (
          <span className="tl-selection" data-testid="timeline-selection">
            <span className="mono" title={describeTimeRange(selection.fromTs, selection.toTs)}>
              {formatTimeRange(selection.fromTs, selection.toTs)}
            </span>
            <button
              type="button"
              className="tl-clear"
              data-testid="timeline-clear"
              aria-label="Clear time range"
              title="Clear time range (Esc)"
              onClick={() => onSelect(null)}
            >
              ×
            </button>
          </span>
        )}
      </div>
      {show ? (
        <div
          className="tl-plot"
          ref={host}
          data-testid="timeline-plot"
          style={height !== undefined ? { height } : undefined}
          tabIndex={0}
          role="img"
          aria-label="Lines and anomalies over time"
          aria-describedby={hintId}
        >
          <span id={hintId} className="tl-hint">
            Drag across the chart to filter the viewer to a time range; double-click or press Escape to clear it.
          </span>
        </div>
      ) : (
        <div className="tl-empty" data-testid="timeline-empty">
          No timestamps in this log
        </div>
      )}
    </section>
  )
}
