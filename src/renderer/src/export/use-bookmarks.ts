import { useCallback, useEffect, useMemo, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { BookmarkView } from '../../../shared/api/export-contract.ts'

/** The case's bookmarks ("this matters"), and a toggle that keeps them in step with the engine. */
export function useBookmarks(
  api: FaultlineApi,
  caseId: string,
  sourceId: number | undefined,
  onError: (e: unknown) => void
): { bookmarks: BookmarkView[]; lines: ReadonlySet<number>; toggle: (lineNo: number) => void } {
  const [bookmarks, setBookmarks] = useState<BookmarkView[]>([])
  const [version, setVersion] = useState(0)
  useEffect(() => {
    if (sourceId === undefined) return
    let current = true
    api.request('case.bookmarks', { caseId, sourceId }).then((r) => current && setBookmarks(r.bookmarks), onError)
    return () => {
      current = false
    }
  }, [api, caseId, sourceId, version, onError])
  const lines = useMemo(() => new Set(bookmarks.map((b) => b.lineNo)), [bookmarks])
  const toggle = useCallback(
    (lineNo: number) => {
      if (sourceId === undefined) return
      api.request('case.bookmark', { caseId, sourceId, lineNo, on: !lines.has(lineNo) }).then(() => setVersion((v) => v + 1), onError)
    },
    [api, caseId, sourceId, lines, onError]
  )
  return { bookmarks, lines, toggle }
}
