import { useEffect, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'

interface Recent {
  path: string
  title: string
  openedAt: number
  exists: boolean
}

/** Cases opened before; a click reopens one instantly (nothing is re-read). */
export function RecentCases({ api, onOpen, onError }: { api: FaultlineApi; onOpen: (path: string) => void; onError: (e: unknown) => void }) {
  const [cases, setCases] = useState<Recent[]>([])
  useEffect(() => {
    api.request('cases.recent').then((r) => setCases(r.cases), onError)
  }, [api, onError])
  if (cases.length === 0) return null
  return (
    <section className="recent-cases" aria-label="Recent cases">
      <h2>Recent cases</h2>
      <ul>
        {cases.map((c) => (
          <li key={c.path}>
            <button type="button" className="recent-case" disabled={!c.exists} title={c.exists ? c.path : `${c.path} (missing)`} onClick={() => onOpen(c.path)}>
              <span className="recent-title">{c.title}</span>
              <span className="recent-when">{new Date(c.openedAt).toLocaleString()}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  )
}
