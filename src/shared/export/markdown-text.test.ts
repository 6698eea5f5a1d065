import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { ExportRecord } from './export-record.ts'
import { markdownReport } from './markdown-report.ts'
import type { ReportInput } from './markdown-report.ts'
import { codeSpan, escapeMarkdown, visibleControls } from './markdown-text.ts'
import { escapeXml, svgDataUri, timelineSvg } from './timeline-svg.ts'

const record: ExportRecord = { source: 'a.log', lineNo: 1, time: null, level: 'info', score: 0.9, flagged: false, bookmarked: false, note: null, context: false, template: null, reasons: [], text: '' }
const input: ReportInput = { source: { name: 'a.log', path: '/a.log', lines: 10, format: null }, timeRange: null, model: null, flagged: 1, context: 5, redacted: null, generatedAt: 'now' }

describe('Markdown text', () => {
  it('escapes what could become markup and leaves the rest readable', () => {
    expect(escapeMarkdown('a *b* [c](d) <img src=x> | e_f & `g` ~h~ v1.2-3 #4')).toBe('a \\*b\\* \\[c\\](d) &lt;img src=x&gt; \\| e\\_f &amp; \\`g\\` \\~h\\~ v1.2-3 #4')
    expect(visibleControls('a\rb\u0000c\td\u007f')).toBe('a␍b␀c\td␡')
  })

  it('fences code so no line or text can close it (property)', () => {
    const text = fc.string({ unit: fc.constantFrom('`', 'a', ' ', '|', '\r', '~') })
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 6 }), (texts) => {
        const records = texts.map((t, i) => ({ ...record, lineNo: i + 1, text: t, flagged: i === 0, reasons: i === 0 ? ['odd'] : [], context: i > 0 }))
        const md = markdownReport(input, records)
        const block = /^(`{3,})text\n([\s\S]*?)\n\1\n/m.exec(md) as RegExpExecArray
        const [, fence = '', body = ''] = block
        expect(body.split('\n')).toHaveLength(texts.length)
        for (const line of body.split('\n')) expect(line.includes(fence)).toBe(false)
        const span = codeSpan(texts.join(''))
        const spanFence = (/^`+/.exec(span) as RegExpExecArray)[0]
        expect(span.slice(spanFence.length, -spanFence.length).includes(spanFence)).toBe(false)
        expect(span.endsWith(spanFence)).toBe(true)
      })
    )
    expect(codeSpan('a|b', true)).toBe('`a\\|b`')
  })
})

describe('timeline SVG', () => {
  it('draws bars, escapes its labels and embeds as a data URI without scripts', () => {
    const svg = timelineSvg({ fromTs: Date.UTC(2024, 0, 1), bucketMs: 60_000, anomalies: [0, 3, 1], lines: [10, 20, 5] }, 'x <script>alert(1)</script> & "y"')
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[^>]*>/)
    expect(svg).toContain('<title>x &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;y&quot;</title>')
    expect(svg.match(/fill="#d0342c"/g)).toHaveLength(2)
    expect(svg.match(/fill="#d7dce2"/g)).toHaveLength(3)
    expect(svg).toContain('2024-01-01 00:00')
    expect(svg).toContain('flagged lines per minute')
    expect(svg).not.toMatch(/<script|href=|on\w+=/)
    const uri = svgDataUri(svg)
    expect(uri).toMatch(/^data:image\/svg\+xml,[^\s()]+$/)
    expect(decodeURIComponent(uri.slice('data:image/svg+xml,'.length))).toBe(svg)
    expect(escapeXml(`'`)).toBe('&apos;')
  })
})
