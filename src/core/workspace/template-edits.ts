/**
 * The workspace's side of template edits (templates/template-edits.ts): a request changes the
 * case at once (so a refused edit is refused in its answer) and says which model the re-score
 * that follows uses (a merge: the model with the templates pooled; a split: the same model; an
 * undo: the model from before the merge, while the case still scores with the merged one). A
 * re-score that fails takes the edit back. Split templates' baseline counts are their value's
 * count in the split template's parameter statistics, so a value the baseline showed is not "new".
 */
import type { TemplateEditView, TemplateParamsView } from '../../shared/api/case-contract.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { CaseStore } from '../case/case-store.ts'
import type { Model } from '../model/model.ts'
import { parseModel, serializeModel } from '../model/model-file.ts'
import { mergedModel } from '../templates/merged-model.ts'
import { checkMerge, mergeTemplates, modelBefore, modelDigest, splitTemplate, TemplateEditError, templateEdits, undoTemplateEdit } from '../templates/template-edits.ts'
import { templateParams } from '../templates/template-params.ts'

export type TemplateEditRequest =
  | { readonly kind: 'merge'; readonly into: number; readonly from: readonly number[] }
  | { readonly kind: 'split'; readonly templateId: number; readonly position: number }
  | { readonly kind: 'undo'; readonly editId: number }

export interface AppliedTemplateEdit {
  readonly editId: number | null
  /** The templates the edit made or kept (for the panel to select). */
  readonly templates: number[]
  readonly message: string
  /** The model to re-score with. */
  readonly model: Model
  /** Takes the edit back after a failed re-score. */
  revert(): void
}

/** Applies the edit to the case; errors are the API's. */
export function applyTemplateEdit(store: CaseStore, sourceId: number, base: Model, request: TemplateEditRequest, now: number): AppliedTemplateEdit {
  try {
    return apply(store, sourceId, base, request, now)
  } catch (error) {
    throw error instanceof TemplateEditError ? new ApiError(error.code, error.message) : error
  }
}

function apply(store: CaseStore, sourceId: number, base: Model, request: TemplateEditRequest, now: number): AppliedTemplateEdit {
  switch (request.kind) {
    case 'merge': {
      checkMerge(store, request.into, request.from)
      // The model ids come from the case's miner as it is, so the model is derived first.
      const { model, root } = mergedModel(base, store, sourceId, request.into, request.from)
      const before = serializeModel(base)
      const editId = mergeTemplates(store, { ...request, root }, now, { before, digest: modelDigest(model === base ? before : serializeModel(model)) })
      return {
        editId,
        templates: [request.into],
        message: `Merging ${request.from.length + 1} templates…`,
        model,
        revert: () => undoTemplateEdit(store, sourceId, editId)
      }
    }
    case 'split': {
      const { editId, parts } = splitTemplate(store, sourceId, { ...request, modelMiner: base.minerSnapshot }, now)
      return {
        editId,
        templates: parts.map((p) => p.id),
        message: `Splitting template ${request.templateId} into ${parts.length + 1}…`,
        model: base,
        revert: () => undoTemplateEdit(store, sourceId, editId)
      }
    }
    case 'undo': {
      const edit = templateEdits(store).find((e) => e.id === request.editId)
      const before = modelBefore(store, request.editId)
      undoTemplateEdit(store, sourceId, request.editId)
      // The model from before a merge, unless the case has moved on to another model since.
      const restore = edit?.kind === 'merge' && before !== null && edit.payload.modelDigest === modelDigest(serializeModel(base))
      return {
        editId: null,
        templates: edit?.kind === 'merge' ? [edit.payload.into, ...edit.payload.from] : edit?.kind === 'split' ? [edit.payload.templateId] : [],
        message: `Undoing the ${edit?.kind ?? 'template'} edit…`,
        model: restore ? parseModel(before, 'the model before the merge') : base,
        revert: () => {}
      }
    }
  }
}

/** Split templates' baseline counts from their template's parameter statistics (after a re-score). */
export function splitBaselines(store: CaseStore, model: Model | null): void {
  if (!model) return
  const db = store.db
  const update = db.prepare(`UPDATE templates SET baseline_count = ? WHERE id = ?`)
  const modelOf = db.prepare(`SELECT model_template FROM templates WHERE id = ?`).pluck()
  db.transaction(() => {
    for (const edit of templateEdits(store)) {
      if (edit.kind !== 'split') continue
      const modelId = modelOf.get(edit.payload.templateId) as number | null | undefined
      const values = modelId == null ? null : model.templates.get(modelId)?.params[edit.payload.position]?.values
      if (!values) continue
      for (const part of edit.payload.parts) update.run(values.get(part.value) ?? 0, part.id)
    }
  })()
}

export function templateEditViews(store: CaseStore): TemplateEditView[] {
  return templateEdits(store).map((edit) =>
    edit.kind === 'merge'
      ? {
          id: edit.id,
          kind: 'merge',
          createdAt: edit.createdAt,
          description: `Merged ${edit.payload.from.map((id) => `#${id}`).join(', ')} into #${edit.payload.into}`,
          templates: [edit.payload.into]
        }
      : {
          id: edit.id,
          kind: 'split',
          createdAt: edit.createdAt,
          description: `Split #${edit.payload.templateId} on parameter ${edit.payload.position + 1}: ${edit.payload.parts.map((p) => p.value).join(', ')}`,
          templates: [edit.payload.templateId, ...edit.payload.parts.map((p) => p.id)]
        }
  )
}

export function templateParamsView(store: CaseStore, sourceId: number, templateId: number): TemplateParamsView {
  try {
    return templateParams(store, sourceId, templateId)
  } catch (error) {
    throw error instanceof TemplateEditError ? new ApiError(error.code, error.message) : error
  }
}
