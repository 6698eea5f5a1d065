/** The model requests of the contract: the library, retraining a case, and saving downloads. */
import { copyFileSync } from 'node:fs'
import type { Handlers } from '../api/router.ts'
import { ApiError } from '../../shared/api/errors.ts'
import type { ModelLibrary } from '../models/model-library.ts'
import type { Workspace } from '../workspace/workspace.ts'
import type { DesktopShell } from './create-core-service.ts'
import { safeFileName } from './downloads.ts'
import type { Downloads } from './downloads.ts'

export type ModelHandlerName = Extract<
  keyof Handlers,
  `models.${string}` | 'case.retrain' | 'case.useModel' | 'case.cancelTraining' | 'case.compare' | 'case.markNormal' | 'case.unmarkNormal' | 'app.saveDownload'
>

export function modelHandlers(deps: {
  workspace: Workspace
  library: ModelLibrary
  downloads: Downloads
  shell: DesktopShell | undefined
}): Pick<Handlers, ModelHandlerName> {
  const { workspace, library, downloads, shell } = deps
  return {
    'models.list': () => ({ models: library.list() }),
    'models.rename': ({ id, name }) => library.rename(id, name),
    'models.delete': ({ id }) => ({ deleted: library.remove(id) }),
    'models.import': ({ path, name }) => library.importFile(path, name),
    'models.export': ({ id }) => {
      const entry = library.entry(id)
      return downloads.offer(library.path(id), `${safeFileName(entry.name)}.faultline-model.json`, 'application/json')
    },
    'case.retrain': ({ caseId, baseline, name }) => ({ started: workspace.startRetrain(caseId, baseline, name) }),
    'case.useModel': ({ caseId, modelId }) => ({ started: workspace.startUseModel(caseId, modelId) }),
    'case.cancelTraining': ({ caseId }) => ({ cancelled: workspace.cancelTraining(caseId) }),
    'case.compare': ({ caseId }) => workspace.compare(caseId),
    'case.markNormal': ({ caseId, target }) => ({ started: workspace.startMarkNormal(caseId, target) }),
    'case.unmarkNormal': ({ caseId, markId }) => ({ started: workspace.startUnmarkNormal(caseId, markId) }),
    'app.saveDownload': async ({ id }) => {
      if (!shell) throw new ApiError('unavailable', 'The browser downloads files itself')
      const file = downloads.get(id)
      if (!file) throw new ApiError('not_found', 'That download has expired; export again')
      const target = await shell.saveFile({ title: `Save ${file.name}`, name: file.name })
      if (target === null) return { path: null }
      copyFileSync(file.path, target)
      return { path: target }
    }
  }
}
