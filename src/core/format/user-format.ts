import { parseTimestamp } from './timestamp.ts'
import { NO_FIELDS } from './types.ts'
import type { SplitLine } from './types.ts'

type Target = 'ts' | 'level' | 'component' | 'pid' | 'thread' | 'content' | 'other'

/** Field names users write in loghub-style format strings, mapped to our header fields. */
function targetOf(name: string): Target {
  const n = name.toLowerCase()
  if (/^(date|time|timestamp|datetime|month|day|year|dow|weekday)$/.test(n)) return 'ts'
  if (/^(level|severity|loglevel|priority)$/.test(n)) return 'level'
  if (/^(component|logger|source|program|app|module|class|category)$/.test(n)) return 'component'
  if (/^(pid|process)$/.test(n)) return 'pid'
  if (/^(tid|thread)$/.test(n)) return 'thread'
  if (/^(content|message|msg)$/.test(n)) return 'content'
  return 'other'
}

export interface UserFormat {
  readonly fieldNames: readonly string[]
  split(line: string): SplitLine
}

/**
 * Compiles `<Date> <Time> <Level> <Component>: <Content>`: each `<Name>` captures lazily (the
 * last greedily), literal text must match, and runs of spaces match any whitespace.
 */
export function compileUserFormat(format: string, defaultYear: number): UserFormat {
  const parts = format.split(/(<[^<>]+>)/).filter((p) => p.length > 0)
  const names: string[] = []
  let source = '^'
  parts.forEach((part, i) => {
    const m = /^<([^<>]+)>$/.exec(part)
    if (m !== null) {
      names.push(m[1] ?? '')
      source += i === parts.length - 1 ? '(.*?)\\s*$' : '(.*?)'
    } else {
      source += part
        .split(/ +/)
        .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('\\s+')
    }
  })
  if (!names.some((n) => targetOf(n) === 'content')) throw new Error(`format string has no <Content> field: ${format}`)
  const re = new RegExp(source)
  const targets = names.map(targetOf)
  const split = (line: string): SplitLine => {
    const m = re.exec(line)
    if (m === null) return { fields: NO_FIELDS, content: line.trim(), matched: false }
    const ts: string[] = []
    let level: string | null = null
    let component: string | null = null
    let pid: string | null = null
    let thread: string | null = null
    let content = ''
    targets.forEach((t, i) => {
      const v = m[i + 1] ?? ''
      if (t === 'ts') ts.push(v)
      else if (t === 'level') level = v
      else if (t === 'component') component = v
      else if (t === 'pid') pid = v
      else if (t === 'thread') thread = v
      else if (t === 'content') content = v.trim()
    })
    // `sshd[42]` in a component field: the bracket is the pid when no field names one.
    if (component !== null && pid === null) {
      const m2 = /^(.*?)\[(\d+)\]$/.exec(component)
      if (m2 !== null && m2[1]) {
        component = m2[1]
        pid = m2[2] ?? null
      }
    }
    const when = ts.length > 0 ? parseTimestamp(ts.join(' '), defaultYear) : null
    return { fields: { ts: when, level, component, pid, thread }, content, matched: true }
  }
  return { fieldNames: names, split }
}
