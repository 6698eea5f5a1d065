export { compareTemplates, defaultCompareOptions, formatRatio, rateZ } from './compare-templates.ts'
export type { CompareKind, CompareOptions, CompareRow, TemplateComparison, TemplateCount, TemplateCounts } from './compare-templates.ts'
