import { useCallback, useEffect, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { ModelEntry } from '../../../shared/models/model-entry.ts'

/** The model library, refetched after every change made through `refresh`. */
export function useModels(api: FaultlineApi, onError: (e: unknown) => void): { models: ModelEntry[] | null; refresh: () => void } {
  const [models, setModels] = useState<ModelEntry[] | null>(null)
  const [version, setVersion] = useState(0)
  useEffect(() => {
    let current = true
    api.request('models.list').then((r) => current && setModels(r.models), onError)
    return () => {
      current = false
    }
  }, [api, version, onError])
  const refresh = useCallback(() => setVersion((v) => v + 1), [])
  return { models, refresh }
}
