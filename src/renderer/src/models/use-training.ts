import { useEffect, useState } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'
import type { TrainingEvent } from '../../../shared/api/model-contract.ts'

/** The latest training / re-scoring news for a case; `dismiss` clears a finished one. */
export function useTraining(api: FaultlineApi, caseId: string): { event: TrainingEvent | null; running: boolean; dismiss: () => void } {
  const [event, setEvent] = useState<TrainingEvent | null>(null)
  useEffect(() => api.on('case.training', (next) => next.caseId === caseId && setEvent(next)), [api, caseId])
  const running = event !== null && (event.phase === 'training' || event.phase === 'scoring')
  return { event, running, dismiss: () => setEvent(null) }
}
