/** Hooks over the API for the app-wide state every screen shows. */
import { useCallback, useEffect, useState } from 'react'
import type { AppInfo, LogEntry, Settings } from '../../../shared/api/contract.ts'
import { useApi } from './api-context.tsx'

export function useAppInfo(onError: (error: unknown) => void): AppInfo | null {
  const api = useApi()
  const [info, setInfo] = useState<AppInfo | null>(null)
  useEffect(() => {
    api.request('app.info').then(setInfo, onError)
  }, [api, onError])
  return info
}

export function useSettings(onError: (error: unknown) => void): {
  settings: Settings | null
  update: (patch: Partial<Settings>) => void
} {
  const api = useApi()
  const [settings, setSettings] = useState<Settings | null>(null)
  useEffect(() => {
    // Other windows (or a browser tab and the desktop app) may change settings too.
    const off = api.on('settings.changed', setSettings)
    api.request('settings.get').then(setSettings, onError)
    return off
  }, [api, onError])
  const update = useCallback(
    (patch: Partial<Settings>) => {
      api.request('settings.update', { patch }).then(setSettings, onError)
    },
    [api, onError]
  )
  return { settings, update }
}

const maxLogEntries = 2_000

export function useEngineLog(onError: (error: unknown) => void): LogEntry[] {
  const api = useApi()
  const [entries, setEntries] = useState<LogEntry[]>([])
  useEffect(() => {
    const seen = new Set<number>()
    const add = (batch: LogEntry[]): void => {
      const fresh = batch.filter((entry) => !seen.has(entry.seq))
      if (fresh.length === 0) return
      for (const entry of fresh) seen.add(entry.seq)
      setEntries((previous) => [...previous, ...fresh].sort((a, b) => a.seq - b.seq).slice(-maxLogEntries))
    }
    const off = api.on('app.logged', (entry) => add([entry]))
    api.request('app.log', { limit: maxLogEntries }).then((result) => add(result.entries), onError)
    return off
  }, [api, onError])
  return entries
}

export function formatLogEntry(entry: LogEntry): string {
  return `${new Date(entry.ts).toISOString()} ${entry.level.toUpperCase().padEnd(5)} ${entry.scope}: ${entry.message}`
}
