/**
 * The lines `bench:tail` writes and trains on: generated sample traffic, each line ending with
 * its sequence number and write time (so the tailer can tell lost, duplicated and late lines),
 * plus anomalous bursts of templates the reference never holds.
 */

/**
 * `<line> bench=<seq hex>x<µs hex>`: one token with digits, masked like any id, and never a plain
 * number (a number would be judged against the reference's range of it, and flag).
 */
export function stamped(text: string, seq: number, writtenAt: number): string {
  return `${text} bench=${seq.toString(16)}x${Math.round(writtenAt * 1_000).toString(16)}`
}

const stamp = / bench=([0-9a-f]+)x([0-9a-f]+)$/

export function readStamp(text: string): { seq: number; writtenAt: number } | null {
  const m = stamp.exec(text)
  return m ? { seq: parseInt(m[1] as string, 16), writtenAt: parseInt(m[2] as string, 16) / 1_000 } : null
}

/** Anomalous lines: error templates the baseline never held. */
export const burstTemplates = [
  (n: number) => `2026-11-24T15:00:00.000Z ERROR [payments] c.s.payments.PaymentGateway: Connection pool exhausted (active=50, waiting=${n}) after 30000 ms`,
  (n: number) => `2026-11-24T15:00:00.000Z FATAL [checkout] c.s.checkout.OrderService: Ledger checksum mismatch on shard ${n % 16}, refusing writes`,
  (n: number) => `2026-11-24T15:00:00.000Z ERROR [inventory] c.s.inventory.StockService: Replica lag ${n} s exceeds limit, serving stale stock`
] as const

export const isBurst = (text: string): boolean => /Connection pool exhausted|Ledger checksum mismatch|Replica lag \d+ s exceeds/.test(text)

export function now(): number {
  return performance.timeOrigin + performance.now()
}
