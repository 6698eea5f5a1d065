/**
 * A log corpus with secrets planted in it, for the redaction tests (here and in the export
 * tests): every planted value, and lines that carry them the way real logs do. Generated from a
 * seed, so each run plants different values of the same shapes.
 */

export interface PlantedCorpus {
  lines: string[]
  /** Every value that must not survive redaction, as written in some line. */
  secrets: string[]
  /** Words the redacted lines must still read (levels, verbs, timestamps). */
  story: string[]
}

export function plantedCorpus(seed: number): PlantedCorpus {
  let state = seed >>> 0 || 1
  const next = (): number => {
    state ^= state << 13
    state ^= state >>> 17
    state ^= state << 5
    return (state >>> 0) / 4_294_967_296
  }
  const int = (n: number): number => Math.floor(next() * n)
  const pick = (chars: string, n: number): string => Array.from({ length: n }, () => chars[int(chars.length)]).join('')
  const hex = '0123456789abcdef'
  const upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'
  const digits = '0123456789'
  const alnum = `${upper}abcdefghijklmnopqrstuvwxyz${digits}`
  const b64 = `${alnum}+/`
  const b64url = `${alnum}-_`
  // Secrets are random enough to be told apart from words; at least two digits and both cases.
  const mixed = (chars: string, n: number): string => `${pick(upper, 1)}${pick('abcdefghijklmnopqrstuvwxyz', 1)}${pick(digits, 2)}${pick(chars, n - 4)}`

  const ipv4 = `${10 + int(200)}.${int(256)}.${int(256)}.${1 + int(254)}`
  const ipv4b = `192.168.${int(256)}.${1 + int(254)}`
  const ipv6Full = `2001:0db8:${pick(hex, 4)}:0000:0000:${pick(hex, 4)}:${pick(hex, 4)}:${pick(hex, 4)}`
  const ipv6Short = `fe80::${pick(hex, 3)}:${pick(hex, 4)}`
  const mappedIpv4 = `10.${int(256)}.${int(256)}.${1 + int(254)}`
  const ipv6Mapped = `::ffff:${mappedIpv4}`
  const user = `alice${pick(digits, 3)}`
  const user2 = `bob${pick('xyz', 3)}`
  const uid = `5${pick(digits, 4)}`
  const email = `${user}.ops@example.com`
  const host = `db-${pick(digits, 2)}.prod.${pick('abcdefgh', 5)}.internal`
  const host2 = `api${int(9)}.${pick('abcdefgh', 6)}.com`
  const bearer = mixed(b64url, 40)
  const jwt = `eyJhbGciOiJIUzI1NiJ9.eyJ${mixed(b64url, 30)}.${mixed(b64url, 43)}`
  const awsKey = `AKIA${pick(upper + digits, 16)}`
  const awsSecret = mixed(b64, 40)
  const gh = `ghp_${pick(alnum, 36)}`
  const hexSecret = pick(hex, 40)
  const b64Secret = `${mixed(b64, 43)}=`
  const orderId = `${100_000 + int(900_000)}`
  const requestId = `req-${pick(hex, 6)}${int(10)}`
  const password = `hunter${pick(digits, 3)}!`

  const t = (s: number): string => `2024-03-01T10:${String(10 + s).padStart(2, '0')}:00.000Z`
  const lines = [
    `${t(0)} INFO  sshd Accepted password for ${user} from ${ipv4} port 22`,
    `${t(1)} WARN  sshd Failed password for invalid user ${user2} from ${ipv4b}`,
    `${t(2)} INFO  api request from ${ipv6Full} user=${user} uid=${uid}`,
    `${t(3)} INFO  api peer [${ipv6Short}]:8443 connected, client ${ipv6Mapped}`,
    `${t(4)} ERROR mail could not notify ${email} about order ${orderId}`,
    `${t(5)} ERROR db connection to ${host}:5432 refused (pool exhausted)`,
    `${t(6)} DEBUG http GET https://${host2}/v1/orders?id=${orderId} Authorization: Bearer ${bearer}`,
    `${t(7)} DEBUG http Authorization: Bearer ${jwt}`,
    `${t(8)} WARN  aws using access key ${awsKey} with aws_secret_access_key=${awsSecret}`,
    `${t(9)} WARN  ci cloning with token ${gh}`,
    `${t(10)} INFO  deploy artifact digest ${hexSecret} signed with ${b64Secret}`,
    `${t(11)} ERROR auth login failed for user ${user2}, request_id=${requestId}, password="${password}"`,
    `${t(12)} INFO  api retry "hello, world"\tdone café ✓ 🚀 (same ${ipv4} again)`
  ]
  return {
    lines,
    secrets: [ipv4, ipv4b, ipv6Full, ipv6Short, ipv6Mapped, mappedIpv4, user, user2, uid, email, host, host2, bearer, jwt, awsKey, awsSecret, gh, hexSecret, b64Secret, orderId, requestId, password],
    story: ['Accepted password for', 'Failed password', 'ERROR', 'WARN', 'connection to', 'refused (pool exhausted)', 'could not notify', '2024-03-01T10:14:00.000Z', 'café ✓ 🚀', 'hello, world']
  }
}
