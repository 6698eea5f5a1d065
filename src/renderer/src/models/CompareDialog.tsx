/**
 * The case against its model's baseline: templates new here, templates that vanished, and
 * templates whose rate changed (×N, with the counts on both sides). A row with lines in the
 * case filters the viewer to them.
 */
import { useEffect, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { CompareRowView, ComparisonView } from '../../../shared/api/model-contract.ts'
import { formatRatio } from '../../../shared/compare/index.ts'
import { Dialog } from '../components/Dialog.tsx'
import { formatCount } from '../workspace/format.ts'

export interface CompareDialogProps {
  api: FaultlineApi
  caseId: string
  /** Changes when the case is re-scored, so the comparison follows. */
  revision: number
  onShow: (caseTemplates: number[]) => void
  onClose: () => void
  onError: (error: unknown) => void
}

export function CompareDialog({ api, caseId, revision, onShow, onClose, onError }: CompareDialogProps) {
  const [comparison, setComparison] = useState<ComparisonView | null>(null)
  useEffect(() => {
    let current = true
    api.request('case.compare', { caseId }).then((c) => current && setComparison(c), onError)
    return () => {
      current = false
    }
  }, [api, caseId, revision, onError])
  return (
    <Dialog title="Compare with the baseline" testId="compare-dialog" wide onClose={onClose}>
      {comparison === null ? (
        <p className="hint">Comparing…</p>
      ) : (
        <>
          <p className="hint">
            This case ({formatCount(comparison.caseLines)} entries) against what {comparison.modelName} learnt ({formatCount(comparison.baselineLines)} entries). Rates are
            per entry of each side (a stack trace counts once); click a row to see its lines.
          </p>
          <CompareTable title="New in this case" testId="compare-new" rows={comparison.added} empty="No template is new." onShow={onShow} />
          <CompareTable title="Rate changed" testId="compare-changed" rows={comparison.changed} empty="No template changed its rate markedly." onShow={onShow} />
          <CompareTable title="Vanished" testId="compare-vanished" rows={comparison.vanished} empty="No expected template is missing." onShow={onShow} />
        </>
      )}
    </Dialog>
  )
}

function CompareTable({ title, testId, rows, empty, onShow }: { title: string; testId: string; rows: readonly CompareRowView[]; empty: string; onShow: (ids: number[]) => void }) {
  return (
    <section data-testid={testId}>
      <h3 className="compare-heading">
        {title} <span className="hint">({rows.length})</span>
      </h3>
      {rows.length === 0 ? (
        <p className="hint">{empty}</p>
      ) : (
        <table className="models-table compare-table">
          <thead>
            <tr>
              <th>Template</th>
              <th className="num">Baseline</th>
              <th className="num">This case</th>
              <th className="num">Change</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr
                key={`${row.kind}:${row.template}:${row.caseTemplates.join(',')}`}
                data-testid="compare-row"
                className={row.caseTemplates.length > 0 ? 'clickable' : undefined}
                title={row.caseTemplates.length > 0 ? 'Show these lines' : 'No line of this case has it'}
                onClick={() => row.caseTemplates.length > 0 && onShow(row.caseTemplates)}
              >
                <td className="mono compare-template">{row.template}</td>
                <td className="num">{formatCount(row.baselineCount)}</td>
                <td className="num">
                  {formatCount(row.caseCount)}
                  {row.kind !== 'new' && <span className="hint"> (expected {formatCount(Math.round(row.expected))})</span>}
                </td>
                <td className="num">{row.kind === 'new' ? 'new' : row.kind === 'vanished' ? 'gone' : formatRatio(row.ratio)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
