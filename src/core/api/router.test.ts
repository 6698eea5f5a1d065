import { describe, expect, it } from 'vitest'
import { requestNames } from '../../shared/api/contract.ts'
import { ApiError } from '../../shared/api/errors.ts'
import { createLogger } from '../diagnostics/logger.ts'
import type { Handlers } from './router.ts'
import { createRouter } from './router.ts'

const clock = { now: () => 1_700_000_000_000 }

/** Every request answers "unavailable" unless a test gives it a handler. */
function unavailable(): Handlers {
  const entries = requestNames.map((name) => [
    name,
    () => {
      throw new ApiError('unavailable', `${name} is not wired in this test`)
    }
  ])
  return Object.fromEntries(entries) as Handlers
}

function handlers(overrides: Partial<Handlers> = {}): Handlers {
  return {
    ...unavailable(),
    'app.info': () => ({
      name: 'Faultline',
      version: '0.0.0',
      runtime: { node: '22', sqlite: '3', platform: 'test' },
      dataDir: '/tmp',
      startedAt: 0
    }),
    'app.log': ({ limit }) => ({ entries: Array.from({ length: Math.min(limit, 2) }, (_, seq) => ({ seq, ts: 0, level: 'info' as const, scope: 't', message: 'm' })) }),
    'settings.get': () => ({ theme: 'dark', desktopNotifications: false }),
    'settings.update': ({ patch }) => ({ theme: patch.theme ?? 'dark', desktopNotifications: patch.desktopNotifications ?? false }),
    ...overrides
  }
}

describe('router', () => {
  it('answers a valid request with its result', async () => {
    const router = createRouter(handlers(), { log: createLogger({ clock }) })
    expect(await router.dispatch('settings.update', { patch: { theme: 'light' } })).toEqual({
      ok: true,
      result: { theme: 'light', desktopNotifications: false }
    })
  })

  it('fills in param defaults before the handler sees them', async () => {
    const router = createRouter(handlers(), { log: createLogger({ clock }) })
    const reply = await router.dispatch('app.log', {})
    expect(reply.ok && (reply.result as { entries: unknown[] }).entries).toHaveLength(2)
  })

  it('refuses an unknown method with a typed error', async () => {
    const router = createRouter(handlers(), { log: createLogger({ clock }) })
    for (const method of ['no.such', '__proto__', 'constructor', 'toString']) {
      expect(await router.dispatch(method, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } })
    }
  })

  it('refuses invalid params and says which field is wrong', async () => {
    const router = createRouter(handlers(), { log: createLogger({ clock }) })
    const reply = await router.dispatch('settings.update', { patch: { theme: 'purple' } })
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    expect(!reply.ok && reply.error.issues?.[0]?.path).toBe('patch.theme')
    expect(await router.dispatch('app.info', { extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
    expect(await router.dispatch('app.log', 'not an object')).toMatchObject({ ok: false, error: { code: 'invalid_params' } })
  })

  it('passes an ApiError from a handler through with its code', async () => {
    const router = createRouter(
      handlers({
        'settings.get': () => {
          throw new ApiError('not_found', 'nothing here')
        }
      }),
      { log: createLogger({ clock }) }
    )
    expect(await router.dispatch('settings.get', {})).toEqual({ ok: false, error: { code: 'not_found', message: 'nothing here' } })
  })

  it('turns an unexpected failure into an internal error and logs the stack', async () => {
    const log = createLogger({ clock })
    const router = createRouter(handlers({ 'settings.get': async () => Promise.reject(new Error('disk on fire')) }), { log })
    expect(await router.dispatch('settings.get', {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'settings.get failed: disk on fire' }
    })
    expect(log.recent(10).some((entry) => entry.level === 'error' && entry.message.includes('disk on fire'))).toBe(true)
  })

  it('catches a handler whose result breaks the contract when asked to', async () => {
    const broken = handlers({ 'settings.get': () => ({ theme: 'plaid' }) as never })
    const strict = createRouter(broken, { log: createLogger({ clock }), validateResults: true })
    expect(await strict.dispatch('settings.get', {})).toMatchObject({ ok: false, error: { code: 'internal' } })
    const lenient = createRouter(broken, { log: createLogger({ clock }) })
    expect(await lenient.dispatch('settings.get', {})).toMatchObject({ ok: true })
  })
})
