import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { codeBlock, codeSpan, escapeMarkdown, visibleControls } from './markdown-text.ts'
import { escapeXml, svgDataUri, timelineSvg } from './timeline-svg.ts'

describe('Markdown text', () => {
  it('escapes what could become markup and leaves the rest readable', () => {
    expect(escapeMarkdown('a *b* [c](d) <img src=x> | e_f & `g` ~h~ v1.2-3 #4')).toBe('a \\*b\\* \\[c\\](d) &lt;img src=x&gt; \\| e\\_f &amp; \\`g\\` \\~h\\~ v1.2-3 #4')
    expect(visibleControls('a\rb\u0000c\td\u007f')).toBe('a␍b␀c\td␡')
  })

  it('fences code so no content can close it (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: fc.constantFrom('`', 'a', ' ', '|', '\r', '~') }), { minLength: 1, maxLength: 5 }), (lines) => {
        const block = codeBlock(lines)
        const fence = (/^`+/.exec(block) as RegExpExecArray)[0]
        const inner = block.split('\n').slice(1, -2)
        expect(inner).toHaveLength(lines.length)
        for (const line of inner) expect(line.includes(fence)).toBe(false)
        const span = codeSpan(lines.join(''))
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
