/**
 * Describes a template's parameter for a reason sentence: `size=0` for `size=<*>`, otherwise the
 * value in its surrounding words (`'in 30012 ms'`), so a reason says which number was odd.
 */
import { WILDCARD } from '../../mine/index.ts'

export type ParamLabel = { key: string } | { before: string; after: string }

export function paramLabels(template: string): ParamLabel[] {
  const tokens = template.split(/\s+/)
  const labels: ParamLabel[] = []
  tokens.forEach((token, i) => {
    let at = token.indexOf(WILDCARD)
    while (at >= 0) {
      const key = /([\w.-]+)[=:]$/.exec(token.slice(0, at))?.[1]
      if (key) labels.push({ key })
      else {
        const rest = token.slice(at + WILDCARD.length).replaceAll(WILDCARD, '…')
        labels.push({
          before: [i > 0 ? tokens[i - 1] : '', token.slice(0, at).replaceAll(WILDCARD, '…')].filter(Boolean).join(' ').replace(/ (?=\S*$)/, ' '),
          after: [rest, tokens[i + 1] ?? ''].filter(Boolean).join(rest ? '' : ' ')
        })
      }
      at = token.indexOf(WILDCARD, at + WILDCARD.length)
    }
  })
  return labels
}

/** `size=0`, or `'in 30012 ms'`. */
export function describeValue(label: ParamLabel | undefined, value: string): string {
  if (!label) return value
  if ('key' in label) return `${label.key}=${value}`
  const before = label.before.replaceAll(WILDCARD, '…')
  const after = label.after.replaceAll(WILDCARD, '…')
  return `'${[before, value].filter(Boolean).join(before.endsWith('/') || before.endsWith('[') ? '' : ' ')}${after ? (/^[\w…]/.test(after) ? ' ' : '') + after : ''}'`
}
