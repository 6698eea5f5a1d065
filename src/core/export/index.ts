/** Exports of a case (see export-case.ts); bookmarks and notes live in ../case/marks.ts. */
export { defaultContext, exportCase, exportFormats, markdownReport } from './export-case.ts'
export type { ExportFormat, ExportOptions, ExportSink, ExportStats } from './export-case.ts'
export { exportRecords, planExport } from './export-records.ts'
export type { ExportPlan } from './export-records.ts'
