import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'tools/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 20_000
  }
})
