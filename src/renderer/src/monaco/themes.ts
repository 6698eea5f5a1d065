import type * as Monaco from 'monaco-editor/editor/editor.api'
import type { Theme } from '../../../shared/api/contract.ts'

export const monacoThemeFor: Record<Theme, string> = {
  dark: 'faultline-dark',
  light: 'faultline-light'
}

export function registerThemes(monaco: typeof Monaco): void {
  monaco.editor.defineTheme(monacoThemeFor.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: [
      { token: 'log-error', foreground: 'f14c4c', fontStyle: 'bold' },
      { token: 'log-warn', foreground: 'cca700' },
      { token: 'log-info', foreground: '3794ff' },
      { token: 'log-debug', foreground: '808080' },
      { token: 'log-date', foreground: '6a9955' },
      { token: 'log-id', foreground: 'c586c0' },
      { token: 'log-number', foreground: 'b5cea8' },
      { token: 'log-string', foreground: 'ce9178' }
    ],
    colors: { 'editor.background': '#1b1d21' }
  })
  monaco.editor.defineTheme(monacoThemeFor.light, {
    base: 'vs',
    inherit: true,
    rules: [
      { token: 'log-error', foreground: 'c72e2e', fontStyle: 'bold' },
      { token: 'log-warn', foreground: '9a6700' },
      { token: 'log-info', foreground: '0969da' },
      { token: 'log-debug', foreground: '6e7781' },
      { token: 'log-date', foreground: '116329' },
      { token: 'log-id', foreground: '8250df' },
      { token: 'log-number', foreground: '0550ae' },
      { token: 'log-string', foreground: 'a40e26' }
    ],
    colors: {}
  })
}
