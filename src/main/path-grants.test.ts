import { describe, expect, it } from 'vitest'
import { PathGrants } from './path-grants.ts'

describe('path grants', () => {
  it('refuses to open a path the renderer made up', () => {
    const grants = new PathGrants()
    expect(grants.refusal('case.open', { path: '/etc/shadow', baseline: [] })).toMatch(/was not chosen in this window/)
    expect(grants.refusal('case.reopen', { path: '/home/x/.ssh/id_rsa' })).toMatch(/was not chosen/)
    expect(grants.refusal('case.lines', { caseId: 'case-1' })).toBeNull()
    // Training reads files too, and so does importing a model.
    expect(grants.refusal('case.retrain', { caseId: 'case-1', baseline: { kind: 'files', paths: ['/etc/passwd'] } })).toMatch(/was not chosen/)
    expect(grants.refusal('case.retrain', { caseId: 'case-1', baseline: { kind: 'lines', sourceId: 1, fromLine: 1, toLine: 9 } })).toBeNull()
    expect(grants.refusal('models.import', { path: '/root/model.json' })).toMatch(/was not chosen/)
  })

  it('lets through files from the dialog, the recent list and drops, baseline included', () => {
    const grants = new PathGrants()
    grants.noteReply('app.pickFiles', { ok: true, result: { paths: ['/logs/a.log', '/logs/base.log'] } })
    grants.noteReply('cases.recent', { ok: true, result: { cases: [{ path: '/data/cases/a.faultline', title: 'a', openedAt: 1, exists: true }] } })
    grants.grant('/drops/b.log')
    expect(grants.refusal('case.open', { path: '/logs/a.log', baseline: ['/logs/base.log'] })).toBeNull()
    expect(grants.refusal('case.open', { path: '/logs/x/../a.log', baseline: [] })).toBeNull()
    expect(grants.refusal('case.open', { path: '/drops/b.log' })).toBeNull()
    expect(grants.refusal('case.reopen', { path: '/data/cases/a.faultline' })).toBeNull()
    expect(grants.refusal('case.open', { path: '/logs/a.log', baseline: ['/etc/passwd'] })).toMatch(/\/etc\/passwd was not chosen/)
    // A failed reply grants nothing.
    grants.noteReply('app.pickFiles', { ok: false, error: { code: 'internal', message: 'x' } })
  })
})
