/**
 * The log viewer: Monaco, read-only, holding only a window of lines around what is on screen,
 * with its own scrollbar spanning the whole list, the original line numbers in the gutter,
 * anomaly markers (hover for the score and reasons), F8 / Shift+F8 between anomalies and
 * Ctrl+G to go to a line or a time.
 */
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { ViewLine } from '../../../shared/api/case-contract.ts'
import type { Theme } from '../../../shared/api/contract.ts'
import { logLanguageId } from '../monaco/log-language.ts'
import { monaco } from '../monaco/setup.ts'
import { monacoThemeFor } from '../monaco/themes.ts'
import { GotoBox } from './GotoBox.tsx'
import type { LineSource, ListedLine } from './line-source.ts'
import { paramSpans } from './param-spans.ts'
import { hoverMarkdown, severityOf } from './severity.ts'
import { ScrollTrack } from './ScrollTrack.tsx'
import { needsRecentre, windowAround } from './window-plan.ts'
import type { WindowPlan } from './window-plan.ts'
import './viewer.css'

export interface LogViewerProps {
  api: FaultlineApi
  caseId: string
  sourceId: number
  source: LineSource
  theme: Theme
  /** Start of the log's first day, for "go to 15:09". */
  timeBase: number | null
  /** Ask the viewer to show a line (the nonce makes a repeat request count). */
  jump?: { lineNo: number; nonce: number } | undefined
  onCursorLine?: ((lineNo: number) => void) | undefined
  /** Template text by id, for highlighting parameters. */
  templateText?: ((id: number) => string | undefined) | undefined
  highlightParams?: boolean | undefined
  /**
   * Follow mode (`tail -f`, `less +F`): stay at the end as lines arrive. Scrolling away from the
   * end turns it off (`onFollowChange(false)`); F toggles it.
   */
  follow?: boolean | undefined
  onFollowChange?: ((follow: boolean) => void) | undefined
  /** Commands on the line under the cursor: in the context menu, with an optional single key. */
  lineActions?: readonly LineAction[] | undefined
  /** A source's name, for the tag before each line of a source listing several (see line-source.ts). */
  sourceLabel?: ((sourceId: number) => string) | undefined
  /** Bookmarked line numbers ("this matters"), marked beside the line numbers. */
  bookmarked?: ReadonlySet<number> | undefined
  onError: (error: unknown) => void
}

export interface LineAction {
  id: string
  label: string
  /** A letter key (the viewer is read-only, so single keys are free, as in `less`). */
  key?: 'B' | 'N' | 'T'
  run: (line: ViewLine) => void
}

/** Lines held in the editor: enough to scroll smoothly, small enough that a jump is one quick fetch. */
const windowSize = 1_200

export function LogViewer(props: LogViewerProps) {
  const { api, caseId, sourceId, source, theme, timeBase, jump, onCursorLine, onError } = props
  const host = useRef<HTMLDivElement>(null)
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  const decorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null)
  const paramDecorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null)
  const bookmarkDecorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null)
  const sourceDecorations = useRef<monaco.editor.IEditorDecorationsCollection | null>(null)
  const sourceLabelRef = useRef(props.sourceLabel)
  useLayoutEffect(() => {
    sourceLabelRef.current = props.sourceLabel
  }, [props.sourceLabel])
  const bookmarkedRef = useRef(props.bookmarked)
  const paramsRef = useRef({ templateText: props.templateText, on: props.highlightParams ?? false })
  const lines = useRef<ListedLine[]>([])
  const plan = useRef<WindowPlan>({ start: 0, size: 0 })
  const sourceRef = useRef(source)
  const loadSeq = useRef(0)
  const [top, setTop] = useState(0)
  const [visible, setVisible] = useState(40)
  const [gotoOpen, setGotoOpen] = useState(false)
  const follow = useRef({ on: props.follow ?? false, onChange: props.onFollowChange })
  const actions = useRef(props.lineActions ?? [])
  useLayoutEffect(() => {
    actions.current = props.lineActions ?? []
  }, [props.lineActions])
  /** Set while this component scrolls the editor itself, so only the user's scrolling stops following. */
  const scrollingItself = useRef(false)
  useLayoutEffect(() => {
    follow.current = { on: props.follow ?? false, onChange: props.onFollowChange }
  }, [props.follow, props.onFollowChange])
  // Callbacks registered once with Monaco read the latest list through this ref.
  useLayoutEffect(() => {
    sourceRef.current = source
  }, [source])

  /** Loads the window `next` and scrolls so entry `topIndex` is the first line on screen. */
  const load = useCallback(
    async (next: WindowPlan, topIndex: number, select?: number) => {
      const seq = ++loadSeq.current
      const fetched = next.size > 0 ? await sourceRef.current.fetch(next.start, next.size) : []
      const editor = editorRef.current
      if (seq !== loadSeq.current || !editor) return
      lines.current = fetched
      plan.current = { start: next.start, size: fetched.length }
      const model = editor.getModel()
      model?.setValue(fetched.map((l) => l.text).join('\n'))
      const digits = String(fetched.at(-1)?.lineNo ?? 1).length
      editor.updateOptions({ lineNumbersMinChars: Math.max(4, digits + 1) })
      scrollingItself.current = true
      editor.setScrollTop(Math.max(0, topIndex - next.start) * editor.getOption(monaco.editor.EditorOption.lineHeight))
      scrollingItself.current = false
      if (select !== undefined) {
        const line = select - next.start + 1
        editor.setSelection(new monaco.Selection(line, 1, line, 1))
        editor.revealLineInCenterIfOutsideViewport(line)
      }
      setTop(topIndex)
      decorate(fetched, decorations.current)
      decorateParams(fetched, paramDecorations.current, paramsRef.current)
      decorateBookmarks(fetched, bookmarkDecorations.current, bookmarkedRef.current)
      decorateSources(fetched, sourceDecorations.current, sourceLabelRef.current)
      // Each flagged line's reasons, asked of its own source.
      const flagged = new Map<number, number[]>()
      for (const line of fetched) {
        if (!line.flagged) continue
        const id = line.sourceId ?? sourceId
        const lineNos = flagged.get(id)
        if (lineNos) lineNos.push(line.lineNo)
        else flagged.set(id, [line.lineNo])
      }
      const details = new Map<string, { score: number; reasons: string[] }>()
      for (const [id, lineNos] of flagged) {
        const { anomalies } = await api.request('case.anomalies', { caseId, sourceId: id, lineNos })
        for (const anomaly of anomalies) details.set(`${id}:${anomaly.lineNo}`, anomaly)
      }
      if (flagged.size > 0 && seq === loadSeq.current) decorate(fetched, decorations.current, (line) => details.get(`${line.sourceId ?? sourceId}:${line.lineNo}`))
    },
    [api, caseId, sourceId]
  )

  /** Shows entry `index` of the list, moving the window when it is not loaded. */
  const reveal = useCallback(
    (index: number) => {
      const total = sourceRef.current.count
      if (total === 0) return
      const target = Math.max(0, Math.min(total - 1, index))
      const current = plan.current
      const editor = editorRef.current
      if (editor && target >= current.start && target < current.start + current.size) {
        const line = target - current.start + 1
        editor.setSelection(new monaco.Selection(line, 1, line, 1))
        editor.revealLineInCenter(line)
        return
      }
      const next = windowAround(target, total, windowSize)
      load(next, Math.max(0, target - Math.floor(visible / 2)), target).catch(onError)
    },
    [load, onError, visible]
  )

  /** The last lines on screen, the newest at the bottom. */
  const showEnd = useCallback(
    (total: number) => {
      if (total > 0) load(windowAround(total - 1, total, windowSize), Math.max(0, total - visible)).catch(onError)
    },
    [load, onError, visible]
  )

  const jumpToAnomaly = useCallback(
    async (direction: 'next' | 'previous') => {
      const editor = editorRef.current
      const position = editor?.getPosition()
      if (sourceRef.current.interleaved) {
        // Line numbers are each source's own: the next flagged line is looked for among those loaded.
        const at = (position?.lineNumber ?? 1) - 1
        const step = direction === 'next' ? 1 : -1
        for (let i = at + step; i >= 0 && i < lines.current.length; i += step) {
          if (lines.current[i]?.flagged) return reveal(plan.current.start + i)
        }
        return
      }
      const current = position ? lines.current[position.lineNumber - 1]?.lineNo : undefined
      const from = current ?? (direction === 'next' ? 0 : Number.MAX_SAFE_INTEGER)
      const { lineNo } = await api.request('case.nextAnomaly', { caseId, sourceId, from, direction })
      if (lineNo === null) return
      reveal(await sourceRef.current.indexOf(lineNo))
    },
    [api, caseId, sourceId, reveal]
  )
  const jumpRef = useRef(jumpToAnomaly)
  useLayoutEffect(() => {
    jumpRef.current = jumpToAnomaly
  }, [jumpToAnomaly])

  // The editor, created once.
  useEffect(() => {
    if (!host.current) return
    const editor = monaco.editor.create(host.current, {
      value: '',
      language: logLanguageId,
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      glyphMargin: true,
      folding: false,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      wordWrap: 'off',
      fontSize: 13,
      lineNumbers: (n) => String(lines.current[n - 1]?.lineNo ?? ''),
      scrollbar: { vertical: 'hidden', horizontalScrollbarSize: 10, alwaysConsumeMouseWheel: true },
      overviewRulerLanes: 0,
      renderLineHighlight: 'line',
      // In a log every line shares its timestamp's year and its levels: highlighting "the
      // same word elsewhere" paints half the screen.
      occurrencesHighlight: 'off',
      selectionHighlight: false,
      ariaLabel: 'Log lines'
    })
    editorRef.current = editor
    decorations.current = editor.createDecorationsCollection()
    paramDecorations.current = editor.createDecorationsCollection()
    bookmarkDecorations.current = editor.createDecorationsCollection()
    sourceDecorations.current = editor.createDecorationsCollection()
    editor.addCommand(monaco.KeyCode.F8, () => void jumpRef.current('next').catch(onError))
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.F8, () => void jumpRef.current('previous').catch(onError))
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyG, () => setGotoOpen(true))
    editor.addCommand(monaco.KeyCode.KeyF, () => follow.current.onChange?.(!follow.current.on))
    // Registered once; each runs whatever the current props say for that id.
    const lineAt = (): ViewLine | undefined => {
      const position = editor.getPosition()
      return position ? lines.current[position.lineNumber - 1] : undefined
    }
    for (const [order, action] of (props.lineActions ?? []).entries()) {
      editor.addAction({
        id: `faultline.${action.id}`,
        label: action.label,
        contextMenuGroupId: '0_faultline',
        contextMenuOrder: order,
        keybindings: action.key ? [monaco.KeyCode[`Key${action.key}`]] : [],
        run: () => {
          const line = lineAt()
          const current = actions.current.find((a) => a.id === action.id)
          if (line && current) current.run(line)
        }
      })
    }
    const measure = (): void => {
      const lineHeight = editor.getOption(monaco.editor.EditorOption.lineHeight)
      setVisible(Math.max(1, Math.floor(editor.getLayoutInfo().height / lineHeight)))
    }
    measure()
    const subscriptions = [
      editor.onDidLayoutChange(measure),
      editor.onDidChangeCursorPosition((event) => {
        const lineNo = lines.current[event.position.lineNumber - 1]?.lineNo
        if (lineNo !== undefined) onCursorLine?.(lineNo)
      })
    ]
    return () => {
      for (const s of subscriptions) s.dispose()
      editor.getModel()?.dispose()
      editor.dispose()
      editorRef.current = null
    }
    // The editor lives as long as the component; handlers read refs.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])

  // Scrolling inside the window: track the position and move the window near its edges.
  useEffect(() => {
    const editor = editorRef.current
    if (!editor) return
    const subscription = editor.onDidScrollChange((event) => {
      if (!event.scrollTopChanged) return
      const lineHeight = editor.getOption(monaco.editor.EditorOption.lineHeight)
      const firstVisible = plan.current.start + Math.floor(event.scrollTop / lineHeight)
      setTop(firstVisible)
      const total = sourceRef.current.count
      if (follow.current.on && !scrollingItself.current && firstVisible + visible < total) follow.current.onChange?.(false)
      if (needsRecentre(plan.current, firstVisible, visible, total)) {
        load(windowAround(firstVisible + Math.floor(visible / 2), total, windowSize), firstVisible).catch(onError)
      }
    })
    return () => subscription.dispose()
  }, [load, onError, visible])

  // A new list (another filter, another source) starts at the top; a growing one (ingest still
  // running) refreshes the window when it shows the end.
  const shownKey = useRef('')
  useEffect(() => {
    const total = source.count
    if (shownKey.current !== source.key) {
      shownKey.current = source.key
      load(windowAround(0, total, windowSize), 0).catch(onError)
      return
    }
    if (follow.current.on) {
      showEnd(total)
      return
    }
    // A window that is not full yet fills up as lines arrive (progress can announce lines a
    // moment before they are committed, so an early fetch may have come back short).
    const end = plan.current.start + plan.current.size
    if (plan.current.size < windowSize && total > end) {
      load({ start: plan.current.start, size: Math.min(windowSize, total - plan.current.start) }, top).catch(onError)
    }
    // `top` is read, not followed: scrolling must not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [source, load, onError])

  useEffect(() => {
    if (props.follow) showEnd(sourceRef.current.count)
  }, [props.follow, showEnd])

  useEffect(() => {
    if (jump) source.indexOf(jump.lineNo).then(reveal, onError)
    // Only a new jump request (nonce) moves the view.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [jump])

  useEffect(() => {
    monaco.editor.setTheme(monacoThemeFor[theme])
  }, [theme])

  useEffect(() => {
    bookmarkedRef.current = props.bookmarked
    decorateBookmarks(lines.current, bookmarkDecorations.current, props.bookmarked)
  }, [props.bookmarked])

  useEffect(() => {
    paramsRef.current = { templateText: props.templateText, on: props.highlightParams ?? false }
    decorateParams(lines.current, paramDecorations.current, paramsRef.current)
  }, [props.templateText, props.highlightParams])

  return (
    <div className="log-viewer" data-testid="log-viewer">
      <div className="log-viewer-editor" ref={host} />
      <ScrollTrack
        top={top}
        visible={visible}
        total={source.count}
        onScrollTo={(index) => {
          const total = sourceRef.current.count
          const current = plan.current
          const editor = editorRef.current
          if (editor && index >= current.start && index + visible <= current.start + current.size) {
            editor.setScrollTop((index - current.start) * editor.getOption(monaco.editor.EditorOption.lineHeight))
          } else {
            load(windowAround(index + Math.floor(visible / 2), total, windowSize), index).catch(onError)
          }
        }}
      />
      {gotoOpen && (
        <GotoBox
          timeBase={timeBase}
          onCancel={() => {
            setGotoOpen(false)
            editorRef.current?.focus()
          }}
          onLine={(lineNo) => {
            setGotoOpen(false)
            source.indexOf(lineNo).then(reveal, onError)
            editorRef.current?.focus()
          }}
          onTime={async (ts) => {
            setGotoOpen(false)
            const { lineNo } = await api.request('case.lineAtTime', { caseId, sourceId, ts })
            if (lineNo !== null) reveal(await source.indexOf(lineNo))
            editorRef.current?.focus()
          }}
        />
      )}
    </div>
  )
}

function decorateBookmarks(fetched: readonly ViewLine[], collection: monaco.editor.IEditorDecorationsCollection | null, bookmarked: ReadonlySet<number> | undefined): void {
  if (!collection) return
  const items: monaco.editor.IModelDeltaDecoration[] = []
  if (bookmarked && bookmarked.size > 0) {
    fetched.forEach((line, i) => {
      if (bookmarked.has(line.lineNo)) {
        items.push({ range: new monaco.Range(i + 1, 1, i + 1, 1), options: { isWholeLine: true, linesDecorationsClassName: 'fl-bookmark', className: 'fl-line-bookmarked' } })
      }
    })
  }
  collection.set(items)
}

/** Marks each line's parameters (the parts the template miner found variable). */
function decorateParams(
  fetched: readonly ViewLine[],
  collection: monaco.editor.IEditorDecorationsCollection | null,
  options: { templateText: ((id: number) => string | undefined) | undefined; on: boolean }
): void {
  if (!collection) return
  const items: monaco.editor.IModelDeltaDecoration[] = []
  if (options.on && options.templateText) {
    fetched.forEach((line, i) => {
      if (line.continuation) return
      const template = options.templateText?.(line.template)
      if (!template) return
      for (const [start, end] of paramSpans(template, line.text)) {
        items.push({ range: new monaco.Range(i + 1, start + 1, i + 1, end + 1), options: { inlineClassName: 'fl-param' } })
      }
    })
  }
  collection.set(items)
}

/** Each line's source as a tag before its text, for lines of several sources. */
function decorateSources(fetched: readonly ListedLine[], collection: monaco.editor.IEditorDecorationsCollection | null, label: ((sourceId: number) => string) | undefined): void {
  if (!collection) return
  const items: monaco.editor.IModelDeltaDecoration[] = []
  fetched.forEach((line, i) => {
    if (line.sourceId === undefined || !label) return
    // Text injected at the start of an empty range: without showIfCollapsed Monaco renders none.
    items.push({
      range: new monaco.Range(i + 1, 1, i + 1, 1),
      options: { showIfCollapsed: true, before: { content: label(line.sourceId), inlineClassName: `fl-source-tag fl-source-tag-${line.sourceId % sourceTagColors}` } }
    })
  })
  collection.set(items)
}

/** Tag colours, taken in turn by source id (viewer.css). */
const sourceTagColors = 6

function decorate(
  fetched: readonly ListedLine[],
  collection: monaco.editor.IEditorDecorationsCollection | null,
  reasons?: (line: ListedLine) => { score: number; reasons: string[] } | undefined
): void {
  if (!collection) return
  const items: monaco.editor.IModelDeltaDecoration[] = []
  fetched.forEach((line, i) => {
    if (!line.flagged) return
    const severity = severityOf(line.score)
    const detail = reasons?.(line)
    items.push({
      range: new monaco.Range(i + 1, 1, i + 1, 1),
      options: {
        isWholeLine: true,
        className: `fl-line-flagged fl-line-${severity}`,
        glyphMarginClassName: `fl-glyph fl-glyph-${severity}`,
        glyphMarginHoverMessage: { value: hoverMarkdown(detail?.score ?? line.score, detail?.reasons ?? []) },
        hoverMessage: detail ? { value: hoverMarkdown(detail.score, detail.reasons) } : null
      }
    })
  })
  collection.set(items)
}
