/**
 * Putting untrusted text (log lines, templates, reasons, notes) into Markdown so that it shows as
 * written and cannot turn into markup, links, HTML or a broken table.
 */

/** Control characters (CR included: Markdown would take it for a line break) as their visible symbols. */
export function visibleControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, (c) => (c === '\u007f' ? '\u2421' : String.fromCharCode(0x2400 + c.charCodeAt(0))))
}

/**
 * Inline text (never at the start of a line: callers put it after a label) with the characters
 * that could turn it into emphasis, code, a link, HTML or a table cell break escaped; the rest
 * stays as written, so the raw report reads well too.
 */
export function escapeMarkdown(text: string): string {
  return visibleControls(text).replace(/[\\`*_[\]|<>&~]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : `\\${c}`))
}

/** A code span that holds any text: fenced with more backticks than any run inside. */
export function codeSpan(text: string, inTable = false): string {
  const body = visibleControls(text)
  const fence = '`'.repeat(longestRun(body, '`') + 1)
  const pad = body.startsWith('`') || body.endsWith('`') || body.startsWith(' ') ? ' ' : ''
  const span = `${fence}${pad}${body}${pad}${fence}`
  return inTable ? span.replaceAll('|', '\\|') : span
}

export function longestRun(text: string, char: string): number {
  let best = 0
  let run = 0
  for (const c of text) {
    run = c === char ? run + 1 : 0
    if (run > best) best = run
  }
  return best
}
