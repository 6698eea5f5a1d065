// @ts-check
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'
import tseslint from 'typescript-eslint'

/**
 * The layer table. Each layer lists what it may not import; together they give
 *   shared ← core ← { main, cli },  shared ← preload,  shared ← renderer
 * (shared is pure TypeScript; only main and preload touch electron; the renderer sees only
 * shared and browser libraries). `src/layers.test.ts` plants a violation in each layer.
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`), 'node:*']
const electron = ['electron', 'electron/*']
const layer = (name) => [`**/${name}/**`, `**/${name}`]
const nodeOnlyPackages = ['better-sqlite3', 'ws', 'commander', 'sirv', 'open']

/** @param {string} message @param {{ modules?: string[], layers?: string[] }} banned */
function restrict(message, { modules = [], layers = [] }) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...(modules.length ? [{ group: modules, message }] : []),
          ...(layers.length ? [{ group: layers.flatMap(layer), message }] : [])
        ]
      }
    ]
  }
}

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', '.faultline-dev/**', 'native/build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error'
    }
  },
  // The native package is CommonJS: `require` is how it loads its compiled addon.
  { files: ['native/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    files: ['src/shared/**'],
    rules: restrict('src/shared is pure TypeScript: no Node, no electron, no other layer.', {
      modules: [...nodeBuiltins, ...electron, ...nodeOnlyPackages, 'react', 'react-dom'],
      layers: ['core', 'cli', 'main', 'preload', 'renderer']
    })
  },
  {
    files: ['src/core/**'],
    rules: restrict('src/core is the plain-Node engine: it never imports electron, the CLI or the UI.', {
      modules: electron,
      layers: ['cli', 'main', 'preload', 'renderer']
    })
  },
  {
    files: ['src/cli/**'],
    rules: restrict('src/cli builds on core and shared only; electron belongs to src/main.', {
      modules: electron,
      layers: ['main', 'preload', 'renderer']
    })
  },
  {
    files: ['src/main/**'],
    rules: restrict('src/main is the Electron shell over core; it does not reach into the CLI or the UI.', {
      layers: ['cli', 'renderer', 'preload']
    })
  },
  {
    files: ['src/preload/**'],
    rules: restrict('src/preload exposes the bridge only: electron and shared, nothing else.', {
      modules: [...nodeBuiltins, ...nodeOnlyPackages],
      layers: ['core', 'cli', 'main', 'renderer']
    })
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict('src/renderer runs in the browser: it talks to the engine only through src/shared.', {
        modules: [...nodeBuiltins, ...electron, ...nodeOnlyPackages],
        layers: ['core', 'cli', 'main', 'preload']
      })
    }
  }
)
