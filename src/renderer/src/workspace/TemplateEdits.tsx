/**
 * The templates panel's editing row: "Merge" on a selection of two or more templates (into the
 * commonest of them), "Split…" on one (a small popover lists its parameter positions with their
 * commonest values; choosing one splits on it), and the case's edits, the last one undoable.
 * Every edit re-scores the case; while anything scores, the actions wait.
 */
import { useEffect, useRef, useState } from 'react'
import type { TemplateEditView, TemplateParamsView, TemplateRowView } from '../../../shared/api/case-contract.ts'
import { formatCount } from './format.ts'
import { mergePlan, splitTarget } from './template-table.ts'

export interface TemplateEditing {
  edits: TemplateEditView[]
  /** Why edits cannot start now (scoring, not scored), or null. */
  blocked: string | null
  merge(into: number, from: number[]): void
  split(templateId: number, position: number): void
  undo(editId: number): void
  loadParams(templateId: number): Promise<TemplateParamsView>
}

export function TemplateEditBar({ editing, templates, selected }: { editing: TemplateEditing; templates: readonly TemplateRowView[]; selected: readonly number[] }) {
  const [open, setSplitting] = useState<{ templateId: number; params: TemplateParamsView | null } | null>(null)
  const splitButton = useRef<HTMLButtonElement>(null)
  const popover = useRef<HTMLDivElement>(null)
  const plan = mergePlan(templates, selected)
  const target = splitTarget(templates, selected)
  const { blocked } = editing
  // The popover belongs to its template: another selection closes it.
  const splitting = open && target?.id === open.templateId ? open : null

  useEffect(() => {
    if (!splitting) return
    if (splitting.params) popover.current?.querySelector<HTMLElement>('button')?.focus()
  }, [splitting])
  const close = (): void => {
    setSplitting(null)
    splitButton.current?.focus()
  }
  const openSplit = (): void => {
    if (!target) return
    if (splitting) return close()
    setSplitting({ templateId: target.id, params: null })
    editing.loadParams(target.id).then(
      (params) => setSplitting((current) => (current?.templateId === target.id ? { templateId: target.id, params } : current)),
      () => setSplitting(null)
    )
  }
  const merge = (): void => {
    if (plan) editing.merge(plan.into, plan.from)
  }
  const merging = plan ? plan.from.length + 1 : 0
  const last = editing.edits.at(-1)

  return (
    <div className="tp-edits" data-testid="template-edits">
      <div className="tp-edit-actions">
        <button
          type="button"
          className="text-button"
          data-testid="templates-merge"
          disabled={blocked !== null || !plan}
          title={blocked ?? (!plan ? 'Ctrl/⌘-click two or more templates to merge them' : 'Merge the selected templates into the commonest of them (in the case and in the model)')}
          onClick={merge}
        >
          Merge{merging > 0 ? ` ${merging}` : ''}
        </button>
        <button
          type="button"
          ref={splitButton}
          className="text-button"
          data-testid="templates-split"
          aria-expanded={splitting !== null}
          aria-haspopup="dialog"
          disabled={blocked !== null || !target}
          title={blocked ?? (!target ? 'Select one template to split it on a parameter' : 'Split this template on one of its parameters')}
          onClick={openSplit}
        >
          Split…
        </button>
        {editing.edits.length > 0 && (
          <span className="tp-edit-count" title={editing.edits.map((e) => e.description).join('\n')}>
            {editing.edits.length} {editing.edits.length === 1 ? 'edit' : 'edits'}
          </span>
        )}
        {last && (
          <button
            type="button"
            className="text-button"
            data-testid="template-edit-undo"
            disabled={blocked !== null}
            title={`Undo: ${last.description}`}
            onClick={() => editing.undo(last.id)}
          >
            Undo {last.kind}
          </button>
        )}
      </div>
      {splitting && (
        <div
          ref={popover}
          className="tp-split-popover"
          role="dialog"
          aria-label="Split on a parameter"
          data-testid="split-popover"
          onKeyDown={(event) => {
            if (event.key === 'Escape') {
              event.preventDefault()
              close()
            }
          }}
        >
          {!splitting.params ? (
            <div className="tp-split-note">Reading its parameters…</div>
          ) : splitting.params.positions.length === 0 ? (
            <div className="tp-split-note">This template has no parameters to split on.</div>
          ) : (
            <>
              <div className="tp-split-note">
                Split on which parameter? Its commonest values become templates of their own (from {formatCount(splitting.params.sampled)} lines).
              </div>
              <ul className="tp-split-list">
                {splitting.params.positions.map((p) => (
                  <li key={p.position}>
                    <button
                      type="button"
                      className="tp-split-choice"
                      data-testid="split-position"
                      disabled={p.distinct < 2}
                      onClick={() => {
                        editing.split(splitting.templateId, p.position)
                        close()
                      }}
                    >
                      <span className="tp-split-name">
                        Parameter {p.position + 1} · {p.distinct >= 1_000 ? '1,000+' : formatCount(p.distinct)} {p.distinct === 1 ? 'value' : 'values'}
                      </span>
                      <span className="tp-split-values mono">{p.values.map((v) => `${v.value} (${formatCount(v.count)})`).join(', ')}</span>
                    </button>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </div>
  )
}
