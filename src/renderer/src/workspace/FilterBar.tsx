import { useCallback, useEffect, useId, useMemo, useRef } from 'react'
import type { KeyboardEvent } from 'react'
import type { LineFilter } from '../../../shared/case/line-filter.ts'
import { levelCode } from '../../../shared/levels.ts'
import {
  applyContext,
  applyMinScore,
  applyText,
  deriveChips,
  maxContext,
  parseContext,
  regexError,
  removeChip,
  sameFilter,
  sameTextQuery,
  textQueryOf,
  toggleLevel,
  toggleLevels
} from './filter-model.ts'
import type { TextQuery } from './filter-model.ts'
import { formatScore } from './format.ts'
import { useDraft, useLatest } from './use-draft.ts'
import './FilterBar.css'

export interface FilterBarProps {
  filter: LineFilter
  onChange(filter: LineFilter): void
  /** Text of a template, for its chip; '' when unknown (the chip then reads `template #id`). */
  templateText(id: number): string
  /** The min score "flagged only" sets when the slider is at 0. Default 0.5. */
  flaggedScore?: number
  /** Debounce of the text search in ms. Default 250. */
  textDelayMs?: number
}

const scoreDelayMs = 150
const contextDelayMs = 300

const sameQueryExactly = (a: TextQuery, b: TextQuery): boolean =>
  a.text === b.text && a.regex === b.regex && a.caseSensitive === b.caseSensitive

/**
 * The viewer's filter controls (min score, flagged only, levels, text or regex search, context
 * lines) and the active filters as removable chips. Controlled: every edit goes through
 * `onChange`; typing and sliding are debounced.
 */
export function FilterBar({ filter, onChange, templateText, flaggedScore = 0.5, textDelayMs = 250 }: FilterBarProps) {
  const ids = useId()
  const latestRef = useLatest({ filter, onChange })
  const textInput = useRef<HTMLInputElement>(null)
  const chipList = useRef<HTMLDivElement>(null)

  /** Applies an edit to the newest filter; calls onChange only when something changed. */
  const update = useCallback(
    (edit: (current: LineFilter) => LineFilter) => {
      const current = latestRef.current
      const next = edit(current.filter)
      if (sameFilter(current.filter, next)) return
      // Until the parent re-renders, later edits in the same tick build on this one.
      latestRef.current = { ...current, filter: next }
      current.onChange(next)
    },
    [latestRef]
  )

  // Text search: a draft, committed 250 ms after the last keystroke if the regex compiles.
  const [query, setQuery, markQueryEmitted] = useDraft(textQueryOf(filter), sameQueryExactly)
  const queryError = query.regex ? regexError(query.text, query.caseSensitive) : null
  const commitQuery = useCallback(
    (q: TextQuery) => {
      if (q.regex && regexError(q.text, q.caseSensitive)) return
      markQueryEmitted(q)
      update((current) => applyText(current, q))
    },
    [markQueryEmitted, update]
  )
  useEffect(() => {
    const q: TextQuery = { text: query.text, regex: query.regex, caseSensitive: query.caseSensitive }
    if (sameTextQuery(q, textQueryOf(latestRef.current.filter))) return
    const timer = setTimeout(() => commitQuery(q), textDelayMs)
    return () => clearTimeout(timer)
  }, [query.text, query.regex, query.caseSensitive, commitQuery, latestRef, textDelayMs])

  const setQueryNow = (q: TextQuery): void => {
    setQuery(q)
    commitQuery(q)
  }

  const onTextKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    if (event.key === 'Enter') {
      event.preventDefault()
      commitQuery(query)
    } else if (event.key === 'Escape' && query.text) {
      event.preventDefault()
      event.stopPropagation()
      setQueryNow({ ...query, text: '' })
    }
  }

  // Min score: a draft, committed 150 ms after the slider stops.
  const [score, setScore, markScoreEmitted] = useDraft(filter.minScore ?? 0)
  const commitScore = useCallback(
    (value: number) => {
      const next = applyMinScore({}, value).minScore ?? 0
      markScoreEmitted(next)
      update((current) => applyMinScore(current, next))
    },
    [markScoreEmitted, update]
  )
  useEffect(() => {
    if (score === (latestRef.current.filter.minScore ?? 0)) return
    const timer = setTimeout(() => commitScore(score), scoreDelayMs)
    return () => clearTimeout(timer)
  }, [score, commitScore, latestRef])

  const flagged = score > 0
  const toggleFlagged = (): void => {
    const next = flagged ? 0 : flaggedScore
    setScore(next)
    commitScore(next)
  }

  // Context lines: the box's text, committed shortly after it settles on a valid number.
  const [contextText, setContextText, markContextEmitted] = useDraft(String(filter.context ?? 0))
  const contextValue = parseContext(contextText)
  useEffect(() => {
    if (contextValue === null || contextValue === (latestRef.current.filter.context ?? 0)) return
    const timer = setTimeout(() => {
      markContextEmitted(String(contextValue))
      update((current) => applyContext(current, contextValue))
    }, contextDelayMs)
    return () => clearTimeout(timer)
  }, [contextValue, markContextEmitted, update, latestRef])

  const chips = useMemo(() => deriveChips(filter, templateText), [filter, templateText])

  const removeAt = (index: number, key: string, byKeyboard: boolean): void => {
    update((current) => removeChip(current, key))
    if (!byKeyboard) return
    // Keep keyboard focus in the chip row: the next chip, else the previous, else the search box.
    requestAnimationFrame(() => {
      const buttons = chipList.current?.querySelectorAll<HTMLButtonElement>('[data-chip-remove]')
      const target = buttons && buttons.length > 0 ? buttons[Math.min(index, buttons.length - 1)] : undefined
      ;(target ?? textInput.current)?.focus()
    })
  }

  const clearAll = (): void => {
    update(() => ({}))
    textInput.current?.focus()
  }

  const errorId = `${ids}-regex-error`
  const levels = new Set(filter.levels ?? [])

  return (
    <div className="filter-bar" data-testid="filter-bar" role="search" aria-label="Line filters">
      <div className="fb-controls">
        <div className="fb-search-wrap">
          <div className={`fb-search${queryError ? ' fb-invalid' : ''}`}>
            <input
              ref={textInput}
              type="search"
              className="fb-text"
              data-testid="filter-text"
              aria-label={query.regex ? 'Search lines by regular expression' : 'Search lines'}
              aria-invalid={queryError ? true : undefined}
              aria-describedby={queryError ? errorId : undefined}
              placeholder={query.regex ? 'Regular expression' : 'Search lines'}
              spellCheck={false}
              autoComplete="off"
              maxLength={1_000}
              value={query.text}
              onChange={(event) => setQuery({ ...query, text: event.target.value })}
              onKeyDown={onTextKeyDown}
            />
            <button
              type="button"
              className="fb-toggle fb-inline-toggle mono"
              data-testid="filter-regex"
              aria-pressed={query.regex}
              aria-label="Use regular expression"
              title="Use regular expression"
              onClick={() => setQueryNow({ ...query, regex: !query.regex })}
            >
              .*
            </button>
            <button
              type="button"
              className="fb-toggle fb-inline-toggle"
              data-testid="filter-case"
              aria-pressed={query.caseSensitive}
              aria-label="Match case"
              title="Match case"
              onClick={() => setQueryNow({ ...query, caseSensitive: !query.caseSensitive })}
            >
              Aa
            </button>
          </div>
          {queryError && (
            <div className="fb-error" id={errorId} role="alert" data-testid="filter-text-error">
              {queryError}
            </div>
          )}
        </div>

        <label className="fb-score" title="Show only lines scoring at least this (0 = normal, 1 = most anomalous)">
          <span className="fb-label">Min score</span>
          <input
            type="range"
            min={0}
            max={1}
            step={0.05}
            data-testid="filter-score"
            value={score}
            aria-valuetext={score > 0 ? `at least ${formatScore(score)}` : 'off'}
            onChange={(event) => setScore(Number(event.target.value))}
          />
          <output className="fb-score-value mono" aria-hidden="true">
            {score > 0 ? formatScore(score) : 'off'}
          </output>
        </label>

        <button
          type="button"
          className="fb-toggle fb-flagged"
          data-testid="filter-flagged"
          aria-pressed={flagged}
          title={flagged ? 'Show all lines' : `Show only lines scoring ≥ ${formatScore(flaggedScore)}`}
          onClick={toggleFlagged}
        >
          <span className="fb-flag-mark" aria-hidden="true" />
          Flagged only
        </button>

        <div className="fb-levels" role="group" aria-label="Levels">
          {toggleLevels.map((name) => (
            <button
              key={name}
              type="button"
              className={`fb-toggle fb-level fb-level-${name}`}
              data-testid={`filter-level-${name}`}
              aria-pressed={levels.has(levelCode[name])}
              onClick={() => update((current) => toggleLevel(current, name))}
            >
              {name}
            </button>
          ))}
        </div>

        <label className="fb-context" title="Also show this many lines before and after each match">
          <span className="fb-label">Context ±</span>
          <input
            type="number"
            min={0}
            max={maxContext}
            step={1}
            inputMode="numeric"
            className="mono"
            data-testid="filter-context"
            aria-label="Context lines before and after each match"
            aria-invalid={contextValue === null ? true : undefined}
            value={contextText}
            onChange={(event) => setContextText(event.target.value)}
            onBlur={() => setContextText(String(contextValue ?? filter.context ?? 0))}
          />
        </label>
      </div>

      {chips.length > 0 && (
        <div className="fb-chips" ref={chipList} data-testid="filter-chips" aria-label="Active filters" role="group">
          {chips.map((chip, index) => (
            <span key={chip.key} className="fb-chip" data-testid="filter-chip" data-chip={chip.key} title={chip.title}>
              <span className="fb-chip-label">{chip.label}</span>
              <button
                type="button"
                className="fb-chip-remove"
                data-chip-remove
                data-testid="filter-chip-remove"
                aria-label={`Remove filter ${chip.label}`}
                title="Remove this filter"
                onClick={(event) => removeAt(index, chip.key, event.detail === 0)}
              >
                ×
              </button>
            </span>
          ))}
          <button type="button" className="fb-clear" data-testid="filter-clear-all" onClick={clearAll}>
            Clear all
          </button>
        </div>
      )}
    </div>
  )
}
