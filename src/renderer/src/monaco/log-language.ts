import type * as Monaco from 'monaco-editor/editor/editor.api'

export const logLanguageId = 'faultline-log'

/** Light syntax colouring for log lines: levels, timestamps, numbers, ids and quoted text. */
export function registerLogLanguage(monaco: typeof Monaco): void {
  monaco.languages.register({ id: logLanguageId })
  monaco.languages.setMonarchTokensProvider(logLanguageId, {
    ignoreCase: false,
    tokenizer: {
      root: [
        [/\b(FATAL|CRITICAL|ERROR|SEVERE|ERR|error|fatal)\b/, 'log-error'],
        [/\b(WARN|WARNING|warn|warning)\b/, 'log-warn'],
        [/\b(INFO|NOTICE|info)\b/, 'log-info'],
        [/\b(DEBUG|TRACE|VERBOSE|debug|trace)\b/, 'log-debug'],
        [/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:Z|[+-]\d{2}:?\d{2})?/, 'log-date'],
        [/\b\d{2}:\d{2}:\d{2}(?:[.,]\d+)?\b/, 'log-date'],
        [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i, 'log-id'],
        [/\b0x[0-9a-fA-F]+\b/, 'log-number'],
        [/\b\d+(?:\.\d+)?\b/, 'log-number'],
        [/"[^"]*"/, 'log-string'],
        [/'[^']*'/, 'log-string']
      ]
    }
  })
}
