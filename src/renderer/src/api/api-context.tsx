import { createContext, useContext } from 'react'
import type { FaultlineApi } from '../../../shared/api/client.ts'

export const ApiContext = createContext<FaultlineApi | null>(null)

export function useApi(): FaultlineApi {
  const api = useContext(ApiContext)
  if (!api) throw new Error('useApi outside <ApiContext.Provider>')
  return api
}
