import { useEffect, useRef } from 'react'
import type { Theme } from '../../../shared/api/contract.ts'
import { logLanguageId } from '../monaco/log-language.ts'
import { monaco } from '../monaco/setup.ts'
import { monacoThemeFor } from '../monaco/themes.ts'

export interface LogTextProps {
  text: string
  theme: Theme
  /** Keep the view at the end as text grows, unless the user scrolled up. */
  follow?: boolean
  ariaLabel: string
}

/**
 * A read-only Monaco view of log text. The model is driven directly rather than through a
 * controlled `value` prop: that keeps the cursor and scroll position across updates.
 */
export function LogText({ text, theme, follow = false, ariaLabel }: LogTextProps) {
  const host = useRef<HTMLDivElement>(null)
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)

  useEffect(() => {
    if (!host.current) return
    const instance = monaco.editor.create(host.current, {
      value: '',
      language: logLanguageId,
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      renderLineHighlight: 'line',
      wordWrap: 'off',
      fontSize: 13,
      ariaLabel
    })
    editor.current = instance
    return () => {
      instance.getModel()?.dispose()
      instance.dispose()
      editor.current = null
    }
  }, [ariaLabel])

  useEffect(() => {
    const instance = editor.current
    const model = instance?.getModel()
    if (!instance || !model || model.getValue() === text) return
    const lastLine = model.getLineCount()
    const atEnd = instance.getVisibleRanges().some((range) => range.endLineNumber >= lastLine)
    model.setValue(text)
    if (follow && atEnd) instance.revealLine(model.getLineCount())
  }, [text, follow])

  useEffect(() => {
    monaco.editor.setTheme(monacoThemeFor[theme])
  }, [theme])

  return <div className="log-text" ref={host} />
}
