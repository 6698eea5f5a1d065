import { memo, useCallback, useEffect, useId, useMemo, useRef, useState } from 'react'
import type { KeyboardEvent, MouseEvent } from 'react'
import type { TemplateRowView } from '../../../shared/api/case-contract.ts'
import { formatCount, formatScore, formatShare } from './format.ts'
import {
  defaultTemplateSort,
  filterTemplates,
  isNavKey,
  moveIndex,
  nextSort,
  scrollToReveal,
  sortTemplates,
  templateSegments,
  visibleRange
} from './template-table.ts'
import type { TemplateSort, TemplateSortKey } from './template-table.ts'
import { useLatest } from './use-draft.ts'
import { TemplateEditBar } from './TemplateEdits.tsx'
import type { TemplateEditing } from './TemplateEdits.tsx'
import './TemplatesPanel.css'

export interface TemplatesPanelProps {
  templates: TemplateRowView[]
  totalLines: number
  selected: readonly number[]
  /** A row was chosen; `additive` when Ctrl/Cmd was held (add to / remove from the selection). */
  onSelect(templateId: number, additive: boolean): void
  /** Score from which the bar is drawn in the accent colour. Default 0.5. */
  flaggedScore?: number
  /** Merge, split and undo (absent: the templates are read-only). */
  editing?: TemplateEditing | undefined
}

/** Fixed row height in px: the virtual window depends on it (keep in sync with the CSS). */
export const templateRowHeight = 24

const columns: { key: TemplateSortKey; label: string; title: string }[] = [
  { key: 'text', label: 'Template', title: 'Template text; <*> marks a parameter' },
  { key: 'count', label: 'Count', title: 'Lines with this template' },
  { key: 'share', label: 'Share', title: 'Share of all lines' },
  { key: 'baseline', label: 'Base', title: 'Count in the known-good baseline' },
  { key: 'new', label: 'New', title: 'Not seen in the baseline' },
  { key: 'score', label: 'Score', title: 'Anomaly score (0 = normal, 1 = most anomalous)' }
]

/**
 * The case's templates as a compact sortable table: text with parameters highlighted, count,
 * share, baseline count, a "new" badge and the score. Only the rows in view are rendered.
 */
export function TemplatesPanel({ templates, totalLines, selected, onSelect, flaggedScore = 0.5, editing }: TemplatesPanelProps) {
  const ids = useId()
  const [sort, setSort] = useState<TemplateSort>(defaultTemplateSort)
  const [query, setQuery] = useState('')
  const [activeId, setActiveId] = useState<number | null>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewport, setViewport] = useState(600)
  const body = useRef<HTMLDivElement>(null)

  const sorted = useMemo(() => sortTemplates(templates, sort), [templates, sort])
  const rows = useMemo(() => filterTemplates(sorted, query), [sorted, query])
  const indexById = useMemo(() => new Map(rows.map((row, index) => [row.id, index])), [rows])
  const selectedSet = useMemo(() => new Set(selected), [selected])
  const activeIndex = activeId === null ? -1 : (indexById.get(activeId) ?? -1)

  useEffect(() => {
    const element = body.current
    if (!element) return
    const observer = new ResizeObserver(() => setViewport(element.clientHeight))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const { first, last } = visibleRange(scrollTop, viewport, templateRowHeight, rows.length)
  const visible = rows.slice(first, last + 1)
  const rowDomId = (id: number): string => `${ids}-row-${id}`

  const reveal = (index: number): void => {
    const element = body.current
    if (!element) return
    const top = scrollToReveal(index, element.scrollTop, element.clientHeight, templateRowHeight)
    if (top !== element.scrollTop) element.scrollTop = top
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) return
    if (isNavKey(event.key)) {
      event.preventDefault()
      const page = Math.max(1, Math.floor(viewport / templateRowHeight) - 1)
      const next = moveIndex(activeIndex, event.key, rows.length, page)
      const row = rows[next]
      if (!row) return
      setActiveId(row.id)
      reveal(next)
    } else if (event.key === 'Enter' || event.key === ' ') {
      const row = rows[activeIndex]
      if (!row) return
      event.preventDefault()
      onSelect(row.id, event.key === ' ' || event.ctrlKey || event.metaKey)
    }
  }

  const onSelectRef = useLatest(onSelect)
  const onRowClick = useCallback(
    (event: MouseEvent, id: number): void => {
      setActiveId(id)
      onSelectRef.current(id, event.ctrlKey || event.metaKey)
    },
    [onSelectRef]
  )

  const countLabel =
    rows.length === templates.length
      ? `${formatCount(templates.length)} ${templates.length === 1 ? 'template' : 'templates'}`
      : `${formatCount(rows.length)} of ${formatCount(templates.length)}`

  return (
    <section className="templates-panel" data-testid="templates-panel" aria-label="Templates">
      <div className="tp-toolbar">
        <input
          type="search"
          className="tp-filter"
          data-testid="templates-filter"
          aria-label="Filter templates by text"
          placeholder="Filter templates"
          spellCheck={false}
          autoComplete="off"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query) {
              event.preventDefault()
              setQuery('')
            } else if (event.key === 'ArrowDown') {
              event.preventDefault()
              const grid = event.currentTarget.closest('.templates-panel')?.querySelector<HTMLElement>('.tp-grid')
              grid?.focus()
            }
          }}
        />
        <span className="tp-count" data-testid="templates-count" aria-live="polite">
          {countLabel}
        </span>
      </div>
      {editing && <TemplateEditBar editing={editing} templates={templates} selected={selected} />}
      <div
        className="tp-grid"
        role="grid"
        aria-label="Templates"
        aria-rowcount={rows.length + 1}
        aria-colcount={columns.length}
        aria-multiselectable="true"
        aria-activedescendant={activeIndex >= 0 && activeId !== null ? rowDomId(activeId) : undefined}
        tabIndex={0}
        data-testid="templates-grid"
        onKeyDown={onKeyDown}
        onFocus={(event) => {
          // Tabbing into the table with nothing active activates the first (or first selected) row.
          if (event.target !== event.currentTarget || activeIndex >= 0 || !event.currentTarget.matches(':focus-visible')) return
          const firstSelected = rows.findIndex((row) => selectedSet.has(row.id))
          const row = rows[firstSelected >= 0 ? firstSelected : 0]
          if (row) {
            setActiveId(row.id)
            reveal(firstSelected >= 0 ? firstSelected : 0)
          }
        }}
      >
        <div className="tp-row tp-head" role="row" aria-rowindex={1}>
          {columns.map((column) => {
            const active = sort.key === column.key
            return (
              <div
                key={column.key}
                role="columnheader"
                className={`tp-cell tp-col-${column.key}`}
                aria-sort={active ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <button
                  type="button"
                  className="tp-sort"
                  data-testid={`templates-sort-${column.key}`}
                  title={column.title}
                  onClick={() => setSort(nextSort(sort, column.key))}
                >
                  {column.label}
                  <span className="tp-sort-mark" aria-hidden="true">
                    {active ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
                  </span>
                </button>
              </div>
            )
          })}
        </div>
        <div className="tp-body" ref={body} role="rowgroup" onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}>
          {rows.length === 0 ? (
            <div className="tp-empty" data-testid="templates-empty">
              {templates.length === 0 ? 'No templates yet.' : `No template contains “${query.trim()}”.`}
            </div>
          ) : (
            <div className="tp-spacer" style={{ height: rows.length * templateRowHeight }}>
              {visible.map((row, offset) => {
                const index = first + offset
                return (
                  <TemplateRow
                    key={row.id}
                    row={row}
                    index={index}
                    domId={rowDomId(row.id)}
                    totalLines={totalLines}
                    selected={selectedSet.has(row.id)}
                    active={index === activeIndex}
                    flaggedScore={flaggedScore}
                    onClick={onRowClick}
                  />
                )
              })}
            </div>
          )}
        </div>
      </div>
    </section>
  )
}

interface TemplateRowProps {
  row: TemplateRowView
  index: number
  domId: string
  totalLines: number
  selected: boolean
  active: boolean
  flaggedScore: number
  onClick(event: MouseEvent, id: number): void
}

const TemplateRow = memo(function TemplateRow({ row, index, domId, totalLines, selected, active, flaggedScore, onClick }: TemplateRowProps) {
  const scoreLevel = row.score === null ? '' : row.score >= flaggedScore ? ' tp-score-high' : row.score >= flaggedScore / 2 ? ' tp-score-mid' : ''
  return (
    <div
      id={domId}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`tp-row tp-item${selected ? ' tp-selected' : ''}${active ? ' tp-active' : ''}`}
      style={{ transform: `translateY(${index * templateRowHeight}px)` }}
      data-testid="template-row"
      data-template-id={row.id}
      onClick={(event) => onClick(event, row.id)}
    >
      <div role="gridcell" className="tp-cell tp-col-text mono" title={row.text}>
        {templateSegments(row.text).map((segment, i) =>
          segment.param ? (
            <span key={i} className="tp-param">
              {segment.text}
            </span>
          ) : (
            segment.text
          )
        )}
      </div>
      <div role="gridcell" className="tp-cell tp-col-count tp-num" title={row.count.toLocaleString('en-US')}>
        {formatCount(row.count)}
      </div>
      <div role="gridcell" className="tp-cell tp-col-share tp-num">
        {formatShare(row.count, totalLines)}
      </div>
      <div role="gridcell" className="tp-cell tp-col-baseline tp-num">
        {row.baselineCount === null ? '' : formatCount(row.baselineCount)}
      </div>
      <div role="gridcell" className="tp-cell tp-col-new">
        {row.isNew && (
          <span className="tp-new" data-testid="template-new">
            new
          </span>
        )}
      </div>
      <div role="gridcell" className={`tp-cell tp-col-score${scoreLevel}`} title={row.score === null ? 'Not scored' : `Score ${formatScore(row.score)}`}>
        {row.score !== null && (
          <>
            <span className="tp-bar" aria-hidden="true">
              <span style={{ width: `${Math.round(Math.min(1, Math.max(0, row.score)) * 100)}%` }} />
            </span>
            <span className="tp-score-value">{formatScore(row.score)}</span>
          </>
        )}
      </div>
    </div>
  )
})
