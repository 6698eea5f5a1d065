/**
 * Faultline's own sample incident: the aggregated log of a small web shop (gateway, auth,
 * catalog, search, cart, checkout, inventory, payments), with concurrent requests interleaved by
 * time, request-scoped trace ids, background jobs and the odd normal warning. With a fault, the
 * payments database connection pool runs dry part-way through: timeouts with Java stack
 * traces, retries, failed orders, 503s at the gateway, a circuit breaker, then a failover.
 * Deterministic for a seed, so the committed sample and the benchmarks can be regenerated.
 */
import type { Random } from '../service/deps.ts'
import { seededRandom } from '../service/deps.ts'
import { EventQueue } from './event-queue.ts'

export interface SampleOptions {
  seed?: number
  /** Timestamp of the first line. */
  startMs?: number
  /** Stop after this many lines (a record's continuation lines count). */
  lines: number
  /** Checkout-heavy traffic: requests per second across the shop. */
  requestsPerSecond?: number
  /** Inject the payments outage: share of the run where it starts and how long it lasts. */
  fault?: { startAt: number; length: number } | null
}

export interface SampleLine {
  text: string
  /** Part of the injected fault (ground truth for tests and evaluations). */
  injected: boolean
}

const services = ['gateway', 'auth', 'catalog', 'search', 'cart', 'checkout', 'inventory', 'payments'] as const
type Service = (typeof services)[number]

const loggers: Record<Service, string> = {
  gateway: 'c.s.gateway.AccessLog',
  auth: 'c.s.auth.TokenService',
  catalog: 'c.s.catalog.ProductRepository',
  search: 'c.s.search.QueryHandler',
  cart: 'c.s.cart.CartService',
  checkout: 'c.s.checkout.OrderService',
  inventory: 'c.s.inventory.StockService',
  payments: 'c.s.payments.PaymentGateway'
}

const searchTerms = ['red shoes', 'usb-c cable', 'rain jacket', 'coffee grinder', 'desk lamp', 'wool socks', 'phone case']
const warehouses = ['eu-west-1', 'eu-west-2', 'eu-central-1']
const providers = ['stripe', 'adyen']
const approxLinesPerRequest = 3.6

/** Yields the sample log line by line. */
export function* generateSample(options: SampleOptions): Generator<SampleLine> {
  const random = seededRandom(options.seed ?? 7)
  const rps = options.requestsPerSecond ?? 40
  const start = options.startMs ?? Date.UTC(2026, 10, 24, 14, 0, 0)
  const expectedMs = (options.lines / (rps * approxLinesPerRequest)) * 1_000
  const fault = options.fault ? { from: start + expectedMs * options.fault.startAt, to: start + expectedMs * (options.fault.startAt + options.fault.length) } : null
  const sim = new Simulation(random, start, fault)

  let emitted = 0
  let nextRequestAt = start
  let nextTick = start
  while (emitted < options.lines) {
    // Keep the queue fed up to the time of the next event to emit.
    while (nextRequestAt <= sim.queue.peekTime()) {
      sim.request(nextRequestAt)
      nextRequestAt += exponential(random, 1_000 / rps)
    }
    while (nextTick <= sim.queue.peekTime()) {
      sim.tick(nextTick)
      nextTick += 1_000
    }
    const event = sim.queue.pop()
    if (!event) break
    for (const text of event.render().split('\n')) {
      yield { text, injected: event.injected }
      if (++emitted >= options.lines) return
    }
  }
}

class Simulation {
  readonly queue = new EventQueue()
  readonly #random: Random
  readonly #fault: { from: number; to: number } | null
  #seq = 0
  #order = 48_211
  #failures = 0
  #breakerOpen = false
  #failedOver = false
  readonly #start: number

  constructor(random: Random, start: number, fault: { from: number; to: number } | null) {
    this.#random = random
    this.#start = start
    this.#fault = fault
  }

  #at(at: number, service: Service, level: string, message: string, injected = false, extra = ''): void {
    const line = `${new Date(Math.round(at)).toISOString()} ${level.padEnd(5)} [${service}] ${loggers[service]}: ${message}`
    this.queue.push({ at, seq: this.#seq++, render: () => (extra ? `${line}\n${extra}` : line), injected })
  }

  #int(min: number, max: number): number {
    return min + Math.floor(this.#random.next() * (max - min + 1))
  }

  #pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.#random.next() * items.length)] as T
  }

  #hex(length: number): string {
    let out = ''
    while (out.length < length) out += Math.floor(this.#random.next() * 0x1_0000_0000).toString(16).padStart(8, '0')
    return out.slice(0, length)
  }

  #ip(): string {
    return `10.${this.#int(0, 3)}.${this.#int(0, 255)}.${this.#int(1, 254)}`
  }

  #inFault(at: number): boolean {
    return this.#fault !== null && at >= this.#fault.from && at < this.#fault.to
  }

  request(at: number): void {
    const trace = this.#hex(16)
    const user = `u-${this.#int(1_000, 9_999)}`
    const roll = this.#random.next()
    if (roll < 0.45) this.#browse(at, trace)
    else if (roll < 0.65) this.#search(at, trace)
    else if (roll < 0.8) this.#addToCart(at, trace, user)
    else if (roll < 0.95) this.#checkout(at, trace, user)
    else this.#login(at, trace, user)
  }

  #incoming(at: number, method: string, path: string, trace: string): void {
    this.#at(at, 'gateway', 'INFO', `Incoming ${method} ${path} from ${this.#ip()}:${this.#int(32_768, 60_999)} trace=${trace}`)
  }

  #completed(at: number, method: string, path: string, status: number, startedAt: number, trace: string, injected = false): void {
    const level = status >= 500 ? 'ERROR' : status >= 400 ? 'WARN' : 'INFO'
    this.#at(at, 'gateway', level, `Completed ${method} ${path} ${status} in ${Math.round(at - startedAt)} ms trace=${trace}`, injected)
  }

  #browse(at: number, trace: string): void {
    const product = this.#int(10_000, 99_999)
    const path = `/api/v1/products/${product}`
    this.#incoming(at, 'GET', path, trace)
    const t = at + this.#int(1, 4)
    if (this.#random.next() < 0.85) {
      this.#at(t, 'catalog', 'DEBUG', `Cache hit for product ${product} trace=${trace}`)
      this.#completed(t + this.#int(1, 6), 'GET', path, 200, at, trace)
    } else {
      const ms = this.#int(8, 60)
      this.#at(t + ms, 'catalog', 'INFO', `Cache miss for product ${product}, loaded from db in ${ms} ms trace=${trace}`)
      const status = this.#random.next() < 0.01 ? 404 : 200
      this.#completed(t + ms + this.#int(1, 5), 'GET', path, status, at, trace)
    }
  }

  #search(at: number, trace: string): void {
    const term = this.#pick(searchTerms)
    const path = `/api/v1/search?q=${encodeURIComponent(term)}`
    this.#incoming(at, 'GET', path, trace)
    const ms = this.#int(12, 90)
    this.#at(at + ms, 'search', 'INFO', `Query "${term}" returned ${this.#int(0, 240)} hits in ${ms} ms trace=${trace}`)
    if (ms > 85) this.#at(at + ms + 1, 'search', 'WARN', `Slow query "${term}" took ${ms} ms (threshold 85 ms) trace=${trace}`)
    this.#completed(at + ms + this.#int(1, 4), 'GET', path, 200, at, trace)
  }

  #addToCart(at: number, trace: string, user: string): void {
    const path = '/api/v1/cart/items'
    this.#incoming(at, 'POST', path, trace)
    const t = at + this.#int(3, 15)
    this.#at(t, 'cart', 'INFO', `Added item SKU-${this.#int(100_000, 999_999)} x${this.#int(1, 4)} to cart ${this.#hex(8)} for user ${user} trace=${trace}`)
    this.#completed(t + this.#int(1, 5), 'POST', path, 200, at, trace)
  }

  #login(at: number, trace: string, user: string): void {
    const path = '/api/v1/session'
    this.#incoming(at, 'POST', path, trace)
    const t = at + this.#int(20, 80)
    if (this.#random.next() < 0.08) {
      this.#at(t, 'auth', 'WARN', `Failed login for user ${user} from ${this.#ip()}: bad password trace=${trace}`)
      this.#completed(t + 2, 'POST', path, 401, at, trace)
    } else {
      this.#at(t, 'auth', 'INFO', `User ${user} logged in from ${this.#ip()} method=password trace=${trace}`)
      this.#completed(t + 2, 'POST', path, 200, at, trace)
    }
  }

  #checkout(at: number, trace: string, user: string): void {
    const path = '/api/v1/checkout'
    const order = this.#order++
    const items = this.#int(1, 6)
    const amount = (this.#int(500, 40_000) / 100).toFixed(2)
    this.#incoming(at, 'POST', path, trace)
    let t = at + this.#int(2, 6)
    this.#at(t, 'auth', 'INFO', `Token validated for user ${user} scope=checkout in ${this.#int(1, 5)} ms trace=${trace}`)
    t += this.#int(2, 8)
    this.#at(t, 'checkout', 'INFO', `Creating order ${order} for user ${user} with ${items} items trace=${trace}`)
    t += this.#int(5, 30)
    this.#at(t, 'inventory', 'INFO', `Reserved ${items} items for order ${order} in warehouse ${this.#pick(warehouses)} trace=${trace}`)
    t += this.#int(2, 10)
    this.#at(t, 'payments', 'INFO', `Charging ${amount} EUR for order ${order} via ${this.#pick(providers)} trace=${trace}`)

    if (this.#inFault(t)) return this.#failedCheckout(at, t, trace, order, items)

    const ms = this.#int(120, 480)
    t += ms
    this.#at(t, 'payments', 'INFO', `Payment authorized for order ${order} txn=ch_${this.#hex(12)} in ${ms} ms trace=${trace}`)
    t += this.#int(3, 12)
    this.#at(t, 'checkout', 'INFO', `Order ${order} placed for user ${user} total=${amount} EUR trace=${trace}`)
    this.#completed(t + this.#int(2, 6), 'POST', path, 201, at, trace)
  }

  /** The injected outage: no database connection for the payment, retries, then a 503. */
  #failedCheckout(startedAt: number, chargeAt: number, trace: string, order: number, items: number): void {
    let t = chargeAt
    for (let attempt = 1; attempt <= 3; attempt++) {
      t += 30_000 + this.#int(0, 40)
      this.#at(
        t,
        'payments',
        'ERROR',
        `Could not acquire DB connection for order ${order}: HikariPool-1 - Connection is not available, request timed out after 30000ms. trace=${trace}`,
        true,
        stackTrace(this.#int(680, 720))
      )
      if (attempt < 3) {
        this.#at(t + 5, 'checkout', 'WARN', `Payment for order ${order} failed: upstream timeout after 30000 ms, retrying (attempt ${attempt + 1} of 3) trace=${trace}`, true)
      }
    }
    this.#failures++
    if (!this.#breakerOpen && this.#failures >= 25) {
      this.#breakerOpen = true
      this.#at(t + 1, 'payments', 'ERROR', `Circuit breaker payments-db OPEN after ${this.#failures} failures in the last 120 s`, true)
    }
    this.#at(t + 6, 'checkout', 'ERROR', `Order ${order} failed: payments unavailable trace=${trace}`, true)
    this.#at(t + 9, 'inventory', 'INFO', `Released ${items} items for order ${order} trace=${trace}`, true)
    this.#completed(t + 12, 'POST', '/api/v1/checkout', 503, startedAt, trace, true)
  }

  /** Once a second: background work, some of it per service on its own cadence. */
  tick(at: number): void {
    const second = Math.round((at - this.#start) / 1_000)
    if (second % 10 === 0) {
      for (const service of services) {
        this.#at(at + this.#int(0, 900), service, 'DEBUG', `Health check passed: db=ok cache=ok queue=ok uptime=${3_600 + second}s`)
      }
    }
    if (second % 15 === 0) {
      this.#at(at + this.#int(0, 900), 'checkout', 'INFO', `Kafka consumer group orders-events lag ${this.#int(0, 40)} on partition ${this.#int(0, 11)}`)
    }
    if (second % 60 === 30) {
      this.#at(at + this.#int(0, 900), 'catalog', 'INFO', `Cache hit ratio ${(0.82 + this.#random.next() * 0.1).toFixed(3)} over the last 60 s`)
    }
    if (this.#random.next() < 0.05) {
      this.#at(at + this.#int(0, 900), this.#pick(services), 'INFO', `GC pause ${this.#int(4, 40)} ms (G1 Young Generation)`)
    }
    if (this.#inFault(at)) {
      this.#at(at + this.#int(0, 900), 'payments', 'WARN', `HikariPool-1 - Pool stats (total=20, active=20, idle=0, waiting=${this.#int(8, 60)})`, true)
    } else if (this.#fault && at >= this.#fault.to && !this.#failedOver) {
      this.#failedOver = true
      this.#at(at + 100, 'payments', 'WARN', `Failover to replica db-payments-2 completed in ${this.#int(3_000, 6_000)} ms`, true)
      if (this.#breakerOpen) this.#at(at + 400, 'payments', 'INFO', 'Circuit breaker payments-db CLOSED after successful probe', true)
    } else if (second % 30 === 0) {
      this.#at(at + this.#int(0, 900), 'payments', 'DEBUG', `HikariPool-1 - Pool stats (total=20, active=${this.#int(1, 9)}, idle=${this.#int(11, 19)}, waiting=0)`)
    }
  }
}

function exponential(random: Random, mean: number): number {
  return -Math.log(1 - random.next()) * mean
}

function stackTrace(line: number): string {
  return [
    'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.',
    `\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:${line})`,
    '\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:181)',
    '\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:100)',
    '\tat com.shop.payments.LedgerRepository.insertCharge(LedgerRepository.java:57)',
    '\tat com.shop.payments.PaymentGateway.charge(PaymentGateway.java:112)',
    '\t... 41 common frames omitted'
  ].join('\n')
}
