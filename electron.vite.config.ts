import { resolve } from 'node:path'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'electron-vite'

export default defineConfig({
  main: {
    build: {
      // zod bundled: imported from node_modules it is 95 small ES modules, ~70 ms to load
      // in each ingest worker before it can start (the pipeline's chunk loaded in 121 ms → 80 ms).
      externalizeDeps: { exclude: ['zod'] },
      // `engine-workers` on its own too: `npm start` hands these bundled workers to the web host
      // when no Electron runtime is installed (they start faster than the TypeScript entries).
      rolldownOptions: { input: { index: resolve('src/main/index.ts'), 'engine-workers': resolve('src/main/engine-workers.ts') } }
    }
  },
  preload: {
    build: {
      // A sandboxed preload can only be CommonJS and can only require `electron`: bundle the
      // few shared constants it uses and emit `.cjs` even though the package is ESM.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve('src/renderer'),
    // Relative asset URLs: the same build loads from file:// in Electron and from the web host.
    base: './',
    plugins: [react()],
    build: {
      rolldownOptions: { input: { index: resolve('src/renderer/index.html') } }
    },
    worker: { format: 'es' }
  }
})
