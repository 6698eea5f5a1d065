/**
 * Live alerts for one case, grouped (same template within a minute → one row with a count),
 * newest first. Paused, new alerts wait and are counted; resumed, they join the list. Unread
 * counts what arrived since the panel was last looked at.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { LiveAlertView } from '../../../shared/api/live-contract.ts'
import { AlertGroups } from '../../../shared/alerts/alert-groups.ts'
import type { AlertGroup } from '../../../shared/alerts/alert-groups.ts'

export type TimedAlert = LiveAlertView & { time: number }
export type AlertRow = AlertGroup<TimedAlert>

export interface AlertsState {
  groups: AlertRow[]
  total: number
  paused: boolean
  /** Alerts held back while paused. */
  waiting: number
  unread: number
  setPaused: (paused: boolean) => void
  markRead: () => void
  clear: () => void
}

const shownGroups = 200

export function useAlerts(api: FaultlineApi, caseId: string, onNewGroup: (group: AlertRow) => void): AlertsState {
  const store = useRef(new AlertGroups<TimedAlert>())
  const held = useRef<TimedAlert[]>([])
  const pausedRef = useRef(false)
  const newGroupRef = useRef(onNewGroup)
  const [groups, setGroups] = useState<AlertRow[]>([])
  const [counts, setCounts] = useState({ total: 0, waiting: 0, unread: 0 })
  const [paused, setPausedState] = useState(false)
  useEffect(() => {
    newGroupRef.current = onNewGroup
  }, [onNewGroup])

  const publish = useCallback(() => {
    setGroups(store.current.list(shownGroups))
  }, [])

  const take = useCallback(
    (alerts: readonly TimedAlert[]) => {
      for (const alert of alerts) {
        const group = store.current.add(alert)
        if (group.count === 1) newGroupRef.current(group)
      }
      publish()
    },
    [publish]
  )

  useEffect(() => {
    return api.on('case.alerts', (event) => {
      if (event.caseId !== caseId) return
      const alerts = event.alerts.map((a) => ({ ...a, time: a.ts ?? a.scoredAt }))
      if (pausedRef.current) held.current.push(...alerts)
      else take(alerts)
      setCounts((c) => ({ total: c.total + alerts.length, waiting: held.current.length, unread: c.unread + alerts.length }))
    })
  }, [api, caseId, take])

  const setPaused = useCallback(
    (next: boolean) => {
      pausedRef.current = next
      setPausedState(next)
      if (!next && held.current.length > 0) {
        take(held.current.splice(0))
        setCounts((c) => ({ ...c, waiting: 0 }))
      }
    },
    [take]
  )

  return {
    groups,
    total: counts.total,
    paused,
    waiting: counts.waiting,
    unread: counts.unread,
    setPaused,
    markRead: useCallback(() => setCounts((c) => (c.unread === 0 ? c : { ...c, unread: 0 })), []),
    clear: useCallback(() => {
      store.current.clear()
      held.current = []
      setCounts({ total: 0, waiting: 0, unread: 0 })
      publish()
    }, [publish])
  }
}
