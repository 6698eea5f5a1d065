import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createClient } from '../../shared/api/client.ts'
import { ApiContext } from './api/api-context.tsx'
import { pickBridge } from './api/pick-bridge.ts'
import { App } from './App.tsx'
import { ErrorBoundary } from './components/ErrorBoundary.tsx'
import './styles.css'

const picked = pickBridge()
const api = createClient(picked.bridge)

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

createRoot(root).render(
  <StrictMode>
    <ErrorBoundary>
      <ApiContext.Provider value={api}>
        <App picked={picked} />
      </ApiContext.Provider>
    </ErrorBoundary>
  </StrictMode>
)
