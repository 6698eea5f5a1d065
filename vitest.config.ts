import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    // One temporary folder for the run, removed at its end (see run-temp-root.ts).
    globalSetup: ['src/core/testing/run-temp-root.ts'],
    testTimeout: 20_000
  }
})
