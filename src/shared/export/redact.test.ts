import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { plantedCorpus } from './planted-secrets.ts'
import { Redactor } from './redact.ts'

function leaks(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((secret) => text.includes(secret))
}

describe('Redactor', () => {
  it('removes every planted secret and keeps the story readable', () => {
    const corpus = plantedCorpus(7)
    const redactor = new Redactor()
    const out = corpus.lines.map((line) => redactor.redact(line)).join('\n')
    expect(leaks(out, corpus.secrets)).toEqual([])
    for (const word of corpus.story) expect(out).toContain(word)
    expect(out).toContain('for invalid user <user-')
  })

  it('gives the same value the same placeholder everywhere, and spellings of one value meet', () => {
    const r = new Redactor()
    expect(r.redact('from 10.1.2.3 to 10.1.2.4')).toBe('from <ip-1> to <ip-2>')
    expect(r.redact('again 10.1.2.3, user=alice')).toBe('again <ip-1>, user=<user-1>')
    expect(r.redact('for user alice at Ops@Example.COM')).toBe('for user <user-1> at <email-1>')
    expect(r.redact('ops@example.com')).toBe('<email-1>')
    expect(r.redact('2001:db8::1 and 2001:0db8:0:0:0:0:0:0001')).toBe('<ip-3> and <ip-3>')
    expect(r.counts()).toMatchObject({ ip: 3, user: 1, email: 1 })
  })

  it('redacts a learnt user or host name wherever it stands alone afterwards', () => {
    const r = new Redactor()
    expect(r.redact('login ok user=alice host=db-07')).toBe('login ok user=<user-1> host=<host-1>')
    expect(r.redact('alice reconnected to DB-07; alice.b and malice stay, Alice. goes')).toBe('<user-1> reconnected to <host-1>; alice.b and malice stay, <user-1>. goes')
    // Too short to tell from words.
    expect(new Redactor().redact('user=al then al')).toBe('user=<user-1> then al')
  })

  it('redacts each kind of value the way logs write it', () => {
    const cases: [string, string][] = [
      ['GET https://bob:s3cr3t@db.example.com/x', 'GET https://<user-1>:<token-1>@<host-1>/x'],
      ['Authorization: Basic dXNlcjpwYXNzd29yZA==', 'Authorization: Basic <token-1>'],
      ['Basic authentication failed', 'Basic authentication failed'],
      ['{"api_key": "abcDEF123456", "x": 1}', '{"api_key": "<token-1>", "x": 1}'],
      ['host=web-03 node: worker7 on host cache1', 'host=<host-1> node: <host-2> on host <host-3>'],
      ['at ip-10-0-0-5 via ip-10-0-0-5.ec2.internal', 'at <host-2> via <host-1>'],
      ['opened /home/carol/.ssh/id_rsa and C:\\Users\\dave\\x', 'opened /home/<user-1>/.ssh/id_rsa and C:\\Users\\<user-2>\\x'],
      ['trace 123e4567-e89b-12d3-a456-426614174000 order #4821 orderId=77 job: j-42', 'trace <id-1> order #<id-2> orderId=<id-3> job: <id-4>'],
      ['took 12345ms for 1234567 rows, v1.2.3, 3.1415926', 'took 12345ms for <id-1> rows, v1.2.3, 3.1415926'],
      ['timed out after 30000 ms reading 65536 bytes, order 482913', 'timed out after 30000 ms reading 65536 bytes, order <id-1>'],
      ['1700000000 INFO started pid=4242', '1700000000 INFO started pid=<id-1>'],
      ['std::vector at 10:15:30 mac 00:1a:2b:3c:4d:5e', 'std::vector at 10:15:30 mac 00:1a:2b:3c:4d:5e'],
      ['java.lang.NullPointerException in Foo.java, config.yaml, app.log', 'java.lang.NullPointerException in Foo.java, config.yaml, app.log'],
      ['loaded /usr/lib/python3/site-packages/Foo/Bar2/Baz3', 'loaded /usr/lib/python3/site-packages/Foo/Bar2/Baz3'],
      ['class AbstractSingletonProxyFactoryBean2 ok', 'class AbstractSingletonProxyFactoryBean2 ok'],
      ['{"user":"alice","host":"db-1","request_id":"r-123","client_ip":"10.0.0.1"}', '{"user":"<user-1>","host":"<host-1>","request_id":"<id-1>","client_ip":"<ip-1>"}']
    ]
    for (const [input, expected] of cases) expect(new Redactor().redact(input), input).toBe(expected)
  })

  it('never leaks a planted value, and redacting again changes nothing (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 12 }), (seed, shift) => {
        const corpus = plantedCorpus(seed)
        const redactor = new Redactor()
        // Lines in another order: the placeholders move, the leaks must not appear.
        const lines = [...corpus.lines.slice(shift), ...corpus.lines.slice(0, shift)]
        const out = lines.map((line) => redactor.redact(line))
        expect(leaks(out.join('\n'), corpus.secrets)).toEqual([])
        const again = new Redactor()
        expect(out.map((line) => again.redact(line))).toEqual(out)
        expect(out.map((line) => redactor.redact(line))).toEqual(out)
      }),
      { numRuns: 300 }
    )
  })

  it('is stable on log-like noise built from fragments (property)', () => {
    const fragment = fc.oneof(
      fc.constantFrom(' ', '=', ':', '/', '.', '@', ',', '"', '#', '-', 'user', 'host', 'id', 'token', 'for user ', 'Bearer ', '10.0.0.1', '::1', 'example.com', '<ip-1>', '12345'),
      fc.string({ unit: fc.constantFrom(...'abcXYZ0123456789+/_-'.split('')), minLength: 1, maxLength: 30 })
    )
    fc.assert(
      // Spaced: a placeholder's `>` next to a word would open a boundary the original lacked.
      fc.property(fc.array(fragment, { maxLength: 20 }), (parts) => {
        const once = new Redactor().redact(parts.join(' '))
        expect(new Redactor().redact(once)).toBe(once)
      }),
      { numRuns: 500 }
    )
  })
})
