export { baselineCounts, countIncidentTemplates } from './count-templates.ts'
export type { CountOptions } from './count-templates.ts'
