import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { CaseStore } from './case-store.ts'
import { addBookmark, addNote, editNote, getMark, listMarks, removeMark, restoreMark } from './marks.ts'

const dirs: string[] = []
const stores: CaseStore[] = []
afterEach(() => {
  for (const store of stores.splice(0)) store.close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

/** A case with one source of `lines` lines. */
function caseWithLines(lines: number): { store: CaseStore; sourceId: number } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-marks-'))
  dirs.push(dir)
  const store = CaseStore.create(join(dir, 'm.faultline'))
  stores.push(store)
  const sourceId = store.addSource({ path: '/logs/app.log', size: 0, startedAt: 0 })
  const writer = store.writer(sourceId)
  for (let n = 1; n <= lines; n++) writer.append({ offset: n, text: `line ${n}`, ts: n, template: 0, session: -1, level: 3, flags: 0, score: 0 }, n)
  writer.commit(lines)
  return { store, sourceId }
}

describe('bookmarks and notes', () => {
  it('adds, lists by line, and undoes an add by removing it', () => {
    const { store, sourceId } = caseWithLines(20)
    const b7 = addBookmark(store.db, sourceId, 7, 1_000)
    const n3 = addNote(store.db, sourceId, 3, '  first sign of the outage  ', 1_001)
    const b12 = addBookmark(store.db, sourceId, 12, 1_002)
    expect(b7.added).toBe(true)
    expect(n3).toMatchObject({ kind: 'note', note: 'first sign of the outage', lineNo: 3 })
    expect(listMarks(store.db, sourceId).map((m) => [m.lineNo, m.kind])).toEqual([
      [3, 'note'],
      [7, 'bookmark'],
      [12, 'bookmark']
    ])
    expect(listMarks(store.db, sourceId, { kind: 'bookmark', from: 8, to: 20 }).map((m) => m.lineNo)).toEqual([12])
    expect(removeMark(store.db, b12.mark.id)).toEqual(b12.mark)
    expect(listMarks(store.db, sourceId, { kind: 'bookmark' }).map((m) => m.lineNo)).toEqual([7])
  })

  it('keeps one bookmark per line: bookmarking again changes nothing', () => {
    const { store, sourceId } = caseWithLines(5)
    const first = addBookmark(store.db, sourceId, 2, 1)
    const again = addBookmark(store.db, sourceId, 2, 2)
    expect(again).toEqual({ mark: first.mark, added: false })
    expect(listMarks(store.db, sourceId)).toHaveLength(1)
  })

  it('undoes a removal with the same id, and an edit by editing back', () => {
    const { store, sourceId } = caseWithLines(5)
    const note = addNote(store.db, sourceId, 4, 'retry storm starts', 10)
    const removed = removeMark(store.db, note.id)
    expect(getMark(store.db, note.id)).toBeUndefined()
    restoreMark(store.db, removed as NonNullable<typeof removed>)
    expect(getMark(store.db, note.id)).toEqual(note)
    expect(() => restoreMark(store.db, note)).toThrow(/exists/)
    const before = editNote(store.db, note.id, 'retry storm starts here')
    expect(getMark(store.db, note.id)?.note).toBe('retry storm starts here')
    editNote(store.db, note.id, before.note as string)
    expect(getMark(store.db, note.id)).toEqual(note)
    expect(removeMark(store.db, 999)).toBeUndefined()
  })

  it('refuses lines outside the source, unknown sources and empty notes', () => {
    const { store, sourceId } = caseWithLines(5)
    expect(() => addBookmark(store.db, sourceId, 6, 0)).toThrow(/Line 6 is not in source/)
    expect(() => addBookmark(store.db, sourceId, 0, 0)).toThrow(/Line 0/)
    expect(() => addBookmark(store.db, sourceId + 1, 1, 0)).toThrow(/No source/)
    expect(() => addNote(store.db, sourceId, 1, '   ', 0)).toThrow(/needs some text/)
    expect(listMarks(store.db, sourceId)).toEqual([])
  })

  it("leaves 'normal' feedback marks alone", () => {
    const { store, sourceId } = caseWithLines(5)
    store.db.prepare(`INSERT INTO marks (source_id, line_no, kind, created_at) VALUES (?, 2, 'normal', 0)`).run(sourceId)
    const normalId = store.db.prepare(`SELECT id FROM marks WHERE kind = 'normal'`).pluck().get() as number
    expect(listMarks(store.db, sourceId)).toEqual([])
    expect(getMark(store.db, normalId)).toBeUndefined()
    expect(removeMark(store.db, normalId)).toBeUndefined()
    expect(store.db.prepare(`SELECT count(*) FROM marks`).pluck().get()).toBe(1)
  })
})
