import type { ColumnSpec, FormatSpec } from './types.ts'

function columnName(c: ColumnSpec): string {
  switch (c.role) {
    case 'timestamp':
      return c.primary ? '<Timestamp>' : `<Time:${c.tsPattern ?? '?'}>`
    case 'level':
      return '<Level>'
    case 'pid':
      return '<Pid>'
    case 'thread':
      return '<Thread>'
    case 'component':
      return '<Component>'
    case 'literal':
      return '<Sep>'
    case 'field':
      return '<Field>'
  }
}

/** Renders a spec in the loghub format-string style users already know. */
export function describeFormat(spec: FormatSpec): string {
  switch (spec.kind) {
    case 'none':
      return '<Content>'
    case 'pattern':
      return spec.format
    case 'delimited':
      return [...spec.columns.map(columnName), '<Content>'].join(spec.delimiter)
    case 'tokens': {
      const parts = spec.columns.map(columnName)
      if (spec.terminator === 'colon') parts.push('<Component>:')
      if (spec.terminator === 'dash') parts.push('<Component> -')
      parts.push('<Content>')
      return parts.join(' ')
    }
  }
}
