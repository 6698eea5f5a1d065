/** The case requests of the contract, served by the workspace. */
import { existsSync } from 'node:fs'
import type { Handlers } from '../api/router.ts'
import type { AppDb } from '../store/app-db.ts'
import type { Workspace } from '../workspace/workspace.ts'

import type { ExportHandlerName } from './export-handlers.ts'
import type { ModelHandlerName } from './model-handlers.ts'

type CaseHandlerName = Exclude<Extract<keyof Handlers, `case.${string}` | `cases.${string}` | `sample.${string}`>, ModelHandlerName | ExportHandlerName>

export function caseHandlers(workspace: Workspace, appDb: AppDb): Pick<Handlers, CaseHandlerName> {
  return {
    'cases.recent': () => ({
      cases: appDb.recentCases(12).map((recent) => ({ ...recent, exists: existsSync(recent.path) }))
    }),
    'case.reopen': ({ path }) => workspace.reopen(path),
    'sample.open': () => workspace.openSample(),
    'case.open': ({ path, baseline, anyway }) => workspace.openLog(path, baseline, { anyway }),
    'case.summary': ({ caseId }) => workspace.summary(caseId),
    'case.follow': ({ caseId, on }) => ({ following: workspace.follow(caseId, on) }),
    'case.close': ({ caseId }) => ({ closed: workspace.close(caseId) }),
    'case.cancelIngest': ({ caseId, sourceId }) => ({ cancelled: workspace.cancelIngest(caseId, sourceId) }),
    'case.lines': ({ caseId, sourceId, from, count }) => workspace.lines(caseId, sourceId, from, count),
    'case.interleavedLines': ({ caseId, from, count }) => workspace.interleavedLines(caseId, from, count),
    'case.filter': ({ caseId, sourceId, filter, token }) => workspace.filter(caseId, sourceId, filter, token),
    'case.cancelFilter': ({ caseId, token }) => ({ cancelled: workspace.cancelFilter(caseId, token) }),
    'case.filteredLines': ({ caseId, filterId, from, count }) => workspace.filteredLines(caseId, filterId, from, count),
    'case.filterIndexOf': ({ caseId, filterId, lineNo }) => ({ index: workspace.filterIndexOf(caseId, filterId, lineNo) }),
    'case.lineAtTime': ({ caseId, sourceId, ts }) => ({ lineNo: workspace.lineAtTime(caseId, sourceId, ts) }),
    'case.nextAnomaly': ({ caseId, sourceId, from, direction }) => ({ lineNo: workspace.nextAnomaly(caseId, sourceId, from, direction) }),
    'case.anomaly': ({ caseId, sourceId, lineNo }) => workspace.anomaly(caseId, sourceId, lineNo),
    'case.anomalies': ({ caseId, sourceId, lineNos }) => ({ anomalies: workspace.anomalies(caseId, sourceId, lineNos) }),
    'case.sessions': ({ caseId, sourceId, order, anomaliesOnly, limit, offset }) =>
      workspace.sessions(caseId, sourceId, { order, anomalies: anomaliesOnly, limit, offset }),
    'case.templates': ({ caseId }) => ({ templates: workspace.templates(caseId) }),
    'case.mergeTemplates': ({ caseId, into, from }) => workspace.startTemplateEdit(caseId, { kind: 'merge', into, from }),
    'case.splitTemplate': ({ caseId, templateId, position }) => workspace.startTemplateEdit(caseId, { kind: 'split', templateId, position }),
    'case.undoTemplateEdit': ({ caseId, editId }) => workspace.startTemplateEdit(caseId, { kind: 'undo', editId }),
    'case.templateEdits': ({ caseId }) => ({ edits: workspace.templateEdits(caseId) }),
    'case.templateParams': ({ caseId, templateId }) => workspace.templateParams(caseId, templateId),
    'case.timeline': ({ caseId, sourceId, buckets, fromTs, toTs }) => workspace.timeline(caseId, sourceId, buckets, fromTs, toTs)
  }
}
