import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { TemplateMiner } from './miner.ts'
import type { MinerSnapshot } from './miner.ts'
import { parseMinerSnapshot } from './snapshot-schema.ts'

function mine(lines: readonly string[]): TemplateMiner {
  const m = new TemplateMiner()
  for (const l of lines) m.add(l)
  m.compact()
  return m
}

function texts(m: TemplateMiner): string[] {
  return m.templates().map((t) => `${t.count} ${t.text}`)
}

describe('TemplateMiner', () => {
  it('groups by masked shape and extracts params by position', () => {
    const m = new TemplateMiner()
    const a = m.add('Received block blk_123 of size 67108864 from /10.0.0.1')
    const b = m.add('Received block blk_-9 of size 12 from /10.0.0.2')
    const c = m.add('Deleting block blk_5 file /data/blk_5')
    expect(m.resolve(a)).toBe(m.resolve(b))
    expect(m.resolve(c)).not.toBe(m.resolve(a))
    expect(m.template(a).text).toBe('Received block <*> of size <*> from <*>')
    expect(m.params(a, 'Received block blk_123 of size 67108864 from /10.0.0.1')).toEqual(['blk_123', '67108864', '/10.0.0.1'])
  })

  it('turns a word into a variable once it takes many values, but keeps few-valued words apart', () => {
    const users = ['alice', 'bob', 'carol', 'dave']
    const m = mine([
      ...users.map((u) => `Invalid user ${u} from 10.0.0.1`),
      'Starting the service loop',
      'Ending the service loop',
      'Starting the service loop'
    ])
    expect(texts(m)).toEqual(['4 Invalid user <*> from <*>', '2 Starting the service loop', '1 Ending the service loop'])
    // New values of the variable join the same template.
    expect(m.match('Invalid user eve from 10.9.9.9')).toBe(m.templates()[0]?.id)
  })

  it('merges lists of any length', () => {
    const m = mine(['stack @0x1 @0x2)', 'stack @0x1 @0x2 @0x3 @0x4)', 'stack @0x9)'])
    expect(m.size).toBe(1)
  })

  it('keeps single-word messages apart', () => {
    expect(mine(['running', 'blocked', 'active', 'idle']).size).toBe(4)
  })

  it('gives the same templates when mining the same input twice', () => {
    const word = fc.constantFrom('open', 'close', 'read', 'write', 'user', 'file', 'at', 'failed', 'ok', 'x1', '42', 'id=7', '/tmp/a')
    const line = fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' '))
    fc.assert(
      fc.property(fc.array(line, { maxLength: 200 }), (lines) => {
        expect(texts(mine(lines))).toEqual(texts(mine(lines)))
      }),
      { numRuns: 50 }
    )
  })

  it('restores from a JSON snapshot and continues exactly where it stopped', () => {
    const word = fc.constantFrom('open', 'close', 'user', 'alice', 'bob', 'carol', 'dave', 'at', 'x1', '42', 'a.b.c', "'q'")
    const line = fc.array(word, { minLength: 1, maxLength: 6 }).map((w) => w.join(' '))
    fc.assert(
      fc.property(fc.array(line, { maxLength: 300 }), fc.nat(300), (lines, cut) => {
        // Small limits so compactions and the overflow template happen inside the run.
        const settings = { compactEvery: 5, maxTemplates: 20 }
        const whole = new TemplateMiner(settings)
        const ids = lines.map((l) => whole.add(l))
        const first = new TemplateMiner(settings)
        const head = lines.slice(0, cut).map((l) => first.add(l))
        const restored = TemplateMiner.fromSnapshot(JSON.parse(JSON.stringify(first.toSnapshot())) as MinerSnapshot)
        const tail = lines.slice(cut).map((l) => restored.add(l))
        expect([...head, ...tail]).toEqual(ids)
        expect(restored.toSnapshot()).toEqual(whole.toSnapshot())
      }),
      { numRuns: 100 }
    )
  })

  it('validates stored snapshots', () => {
    expect(() => TemplateMiner.fromSnapshot({ version: 2 } as never)).toThrow(/version/)
    expect(() => parseMinerSnapshot({ version: 2 })).toThrow(/version/)
    expect(() => parseMinerSnapshot({ version: 1, clusters: 'x' })).toThrow(/invalid/)
    const m = mine(['a 1', 'a 2'])
    expect(parseMinerSnapshot(JSON.parse(JSON.stringify(m.toSnapshot())))).toEqual(m.toSnapshot())
  })

  it('caps the template count on text with no structure', () => {
    const m = new TemplateMiner({ maxTemplates: 50 })
    for (let i = 0; i < 2000; i++) m.add(`alpha${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + ((i / 26) | 0) % 26)} beta gamma${String.fromCharCode(97 + ((i / 676) | 0))}`)
    expect(m.size).toBeLessThanOrEqual(51)
  })

  it('stays bounded on many heavily masked lines', () => {
    const m = new TemplateMiner()
    let seed = 7
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0
      return Math.floor((seed / 2 ** 32) * n)
    }
    for (let i = 0; i < 100_000; i++) {
      const blk = `blk_${rnd(2) ? '-' : ''}${rnd(1e9)}${rnd(1e9)}`
      const ip = `10.${rnd(256)}.${rnd(256)}.${rnd(256)}:${rnd(65536)}`
      switch (rnd(4)) {
        case 0:
          m.add(`PacketResponder ${rnd(3)} for block ${blk} terminating`)
          break
        case 1:
          m.add(`BLOCK* NameSystem.addStoredBlock: blockMap updated: ${ip} is added to ${blk} size ${rnd(1e8)}`)
          break
        case 2:
          m.add(`Receiving block ${blk} src: /${ip} dest: /${ip}`)
          break
        default:
          m.add(`${ip} Served block ${blk} to /${ip}`)
      }
    }
    m.compact()
    expect(m.size).toBe(4)
  })
})
