/**
 * Monaco, bundled locally: the core editor API plus only the contributions a read-only log
 * viewer uses, and only the editor worker (no language services), which keeps the bundle small.
 * Nothing is ever fetched from a CDN.
 */
import * as monaco from 'monaco-editor/editor/editor.api'
import 'monaco-editor/features/find/register'
import 'monaco-editor/features/hover/register'
import 'monaco-editor/features/clipboard/register'
import 'monaco-editor/features/contextmenu/register'
import 'monaco-editor/features/wordHighlighter/register'
import 'monaco-editor/features/cursorUndo/register'
import 'monaco-editor/features/multicursor/register'
import 'monaco-editor/features/wordOperations/register'
import 'monaco-editor/features/codicon/register'
import EditorWorker from 'monaco-editor/editor/editor.worker?worker'
import { registerLogLanguage } from './log-language.ts'
import { registerThemes } from './themes.ts'

// Must be set before the first editor is created, or the core worker fails to load.
self.MonacoEnvironment = {
  getWorker: () => new EditorWorker()
}

registerLogLanguage(monaco)
registerThemes(monaco)

export { monaco }
