/**
 * The case's template edits for the templates panel: the list (reloaded with the case's version)
 * and the requests that merge, split and undo. Each answers at once and re-scores in the
 * background (`case.training` events); the case's new revision reloads the panels.
 */
import { useEffect, useMemo, useState } from 'react'
import type { TemplateEditView } from '../../../shared/api/case-contract.ts'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { TemplateEditing } from './TemplateEdits.tsx'

export function useTemplateEdits(
  api: FaultlineApi,
  caseId: string,
  version: string,
  blocked: string | null,
  onEdited: (templates: number[]) => void,
  onError: (error: unknown) => void
): TemplateEditing {
  const [edits, setEdits] = useState<TemplateEditView[]>([])
  const [nonce, setNonce] = useState(0)
  useEffect(() => {
    api.request('case.templateEdits', { caseId }).then((r) => setEdits(r.edits), onError)
  }, [api, caseId, version, nonce, onError])
  return useMemo(() => {
    const started = (request: Promise<{ templates: number[] }>): void => {
      request.then((r) => {
        setNonce((n) => n + 1)
        onEdited(r.templates)
      }, onError)
    }
    return {
      edits,
      blocked,
      merge: (into, from) => started(api.request('case.mergeTemplates', { caseId, into, from })),
      split: (templateId, position) => started(api.request('case.splitTemplate', { caseId, templateId, position })),
      undo: (editId) => started(api.request('case.undoTemplateEdit', { caseId, editId })),
      loadParams: (templateId) => api.request('case.templateParams', { caseId, templateId })
    }
  }, [api, caseId, edits, blocked, onEdited, onError])
}
