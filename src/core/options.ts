import { checkOptions, count, func, invalid, methods, ms, oneOf, type Rule } from './check.js'
import type { Clock } from './clock.js'
import { realClock } from './clock.js'
import { linklightProtocol, type Protocol } from './protocol.js'

export { realClock, type Clock } from './clock.js'

// Handlers are compared bivariantly (React's trick) so both the DOM WebSocket and `ws` fit.
type Handler<E> = { bivarianceHack(event: E): void }['bivarianceHack']

/** The part of a WebSocket the client uses: the DOM `WebSocket` and `ws` both fit. */
export interface WebSocketLike {
  onopen: Handler<unknown> | null
  onmessage: Handler<{ data: unknown }> | null
  onclose: Handler<{ code: number; reason: string }> | null
  onerror: Handler<unknown> | null
  send(data: string): void
  close(code?: number, reason?: string): void
}

/** A WebSocket constructor such as `globalThis.WebSocket` or `ws`'s `WebSocket`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike

/** Options of `createClient`; all times in milliseconds. */
export interface ClientOptions {
  /** The wait grows by this much after each failed attempt (deepstream: 4000). */
  reconnectIntervalIncrement?: number | undefined
  /** Cap on that wait (deepstream: 180000). */
  maxReconnectInterval?: number | undefined
  /**
   * Up to this fraction (0–1) of each wait is taken off at random, so the clients of a server
   * that restarted do not all come back in the same millisecond (deepstream: 0, the exact
   * schedule; resilient: 0.5).
   */
  reconnectJitter?: number | undefined
  /** Failed attempts before `ERROR`/`MAX_RECONNECT_ATTEMPTS`; `Infinity` never gives up (deepstream: 5). */
  maxReconnectAttempts?: number | undefined
  /** Ping period while `OPEN` (deepstream: 30000). */
  heartbeatInterval?: number | undefined
  /** What two heartbeat periods without an answer do: `'error'` (deepstream) or `'reconnect'`. */
  heartbeatFailure?: 'error' | 'reconnect' | undefined
  /** No data for this long while `OPEN` → `RECONNECTING`/`INTERRUPTED`. Off when absent or `Infinity`. */
  interruptedAfter?: number | undefined
  /** No data for this long → one `lost` event; retrying continues. Off when absent or `Infinity`. */
  lostAfter?: number | undefined
  /** Not back to `OPEN` this long after the last data → `ERROR`/`JOIN_FAILED`. Off when absent or `Infinity`. */
  giveUpAfter?: number | undefined
  /** An attempt, or an `AUTHENTICATING`, with no answer for this long fails (default 10000). */
  connectTimeout?: number | undefined
  /** Stay `CLOSED` until `connect()` or `login()` (default false). */
  lazyConnect?: boolean | undefined
  /** Log in without waiting for `login()`, for servers with no authentication (default false). */
  autoLogin?: boolean | undefined
  /** Outgoing messages kept while not `OPEN`; beyond it `send()` throws (default 1000). */
  queueLimit?: number | undefined
  /** Codec for frames (default: the linklight JSON protocol). */
  protocol?: Protocol | undefined
  /** WebSocket constructor (default `globalThis.WebSocket`; Node 20 has none: pass `ws`). */
  WebSocket?: WebSocketConstructor | undefined
  /** Timers and time (default: the real ones). */
  clock?: Clock | undefined
}

/** Options with every default filled in; the `…After` options are `Infinity` when off. */
export interface ResolvedOptions {
  readonly reconnectIntervalIncrement: number
  readonly maxReconnectInterval: number
  readonly reconnectJitter: number
  readonly maxReconnectAttempts: number
  readonly heartbeatInterval: number
  readonly heartbeatFailure: 'error' | 'reconnect'
  readonly interruptedAfter: number
  readonly lostAfter: number
  readonly giveUpAfter: number
  readonly connectTimeout: number
  readonly lazyConnect: boolean
  readonly autoLogin: boolean
  readonly queueLimit: number
  readonly protocol: Protocol
  readonly WebSocket: WebSocketConstructor
  readonly clock: Clock
}

// deepstream's "Connectivity" page: the defaults, kept apart so a bundle that never reads
// `presets` does not carry the Agora set.
const deepstream = Object.freeze({
  reconnectIntervalIncrement: 4000,
  maxReconnectInterval: 180_000,
  reconnectJitter: 0,
  maxReconnectAttempts: 5,
  heartbeatInterval: 30_000,
  heartbeatFailure: 'error',
  connectTimeout: 10_000,
  lazyConnect: false,
  autoLogin: false,
  queueLimit: 1000,
} satisfies ClientOptions)

/**
 * Ready-made option sets, plain frozen objects: spread one and override what you need.
 *
 * - `deepstream` (the defaults): deepstream's "Connectivity" page, exactly: retries at 0, 4,
 *   12, 24, 40 s, then `ERROR`; two missed heartbeats are `ERROR`. Red means "act now".
 * - `agora`: Agora's "Channel Connection" timeline: retries fast, `lost` at 15 s, gives up at
 *   20 minutes.
 * - `resilient`: for apps that must never give up: retries forever (0, ≤ 0.25, ≤ 0.5 … ≤ 2.5 s,
 *   jittered), a dead link reconnects instead of failing, and an attempt starts at once when the
 *   network comes back or the page becomes visible. A server back after any outage is reached
 *   within about 2.5 s, by itself.
 *
 * @example
 * ```ts
 * import { WebSocket } from 'ws'
 * const client = createClient(url, { ...presets.resilient, WebSocket })
 * ```
 */
export const presets = /* @__PURE__ */ Object.freeze({
  /** deepstream's "Connectivity" page: the defaults. */
  deepstream,
  /** Agora's "Channel Connection" timeline: interrupted at 4 s, lost at 15 s, give up at 20 min. */
  agora: Object.freeze({
    // Retry fast and never count attempts: Agora gives up on time (giveUpAfter), not on attempts.
    reconnectIntervalIncrement: 1000,
    maxReconnectInterval: 4000,
    maxReconnectAttempts: Infinity,
    // A ping every 2.5 s keeps a healthy idle link well inside `interruptedAfter`, and two
    // missed periods (5 s) come after it, so silence reads as INTERRUPTED, as on Agora's page.
    heartbeatInterval: 2500,
    heartbeatFailure: 'reconnect',
    interruptedAfter: 4000,
    lostAfter: 15_000,
    giveUpAfter: 1_200_000,
    connectTimeout: 4000,
    reconnectJitter: 0,
    lazyConnect: false,
    autoLogin: false,
    queueLimit: 1000,
  } satisfies ClientOptions),
  /** Never gives up: infinite attempts, short jittered waits, a dead link reconnects. */
  resilient: Object.freeze({
    // 0, then at most 250 ms, 500 ms … 2.5 s: a short restart costs well under 1.5 s, and a
    // server back after a long outage is reached within one capped wait (≤ 2.5 s). Half of
    // each wait is random, so a restarted server's clients arrive spread over it.
    reconnectIntervalIncrement: 250,
    maxReconnectInterval: 2500,
    reconnectJitter: 0.5,
    maxReconnectAttempts: Infinity,
    // A ping every 10 s: a dead link is noticed within 20 s, and reconnects.
    heartbeatInterval: 10_000,
    heartbeatFailure: 'reconnect',
    lostAfter: 15_000,
    connectTimeout: 5000,
    lazyConnect: false,
    autoLogin: false,
    queueLimit: 1000,
  } satisfies ClientOptions),
})

const millis = ms(0)
const positive = ms(1)
const orOff = ms(1, true)
const flag = oneOf(true, false)

// One rule per option (check.ts): what a valid value passes and how the error describes it.
const rules: Record<keyof ClientOptions, Rule> = {
  reconnectIntervalIncrement: millis,
  maxReconnectInterval: millis,
  reconnectJitter: [
    (value) => typeof value == 'number' && value >= 0 && value <= 1,
    'a number from 0 to 1 (the fraction of each wait that may be taken off at random)',
  ],
  maxReconnectAttempts: count(1),
  heartbeatInterval: positive,
  heartbeatFailure: oneOf('error', 'reconnect'),
  interruptedAfter: orOff,
  lostAfter: orOff,
  giveUpAfter: orOff,
  connectTimeout: positive,
  lazyConnect: flag,
  autoLogin: flag,
  queueLimit: count(0),
  protocol: methods('encode', 'decode', 'ping', 'isPong'),
  WebSocket: func(
    "a WebSocket constructor; pass options.WebSocket (Node 20 has none: import { WebSocket } from 'ws')",
  ),
  clock: methods('now', 'setTimeout', 'clearTimeout'),
}

/**
 * Fills in the defaults and checks every option, throwing a `TypeError` that names the first bad one.
 * An option given as `undefined` keeps its default, so presets can be spread and overridden.
 */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  checkOptions('createClient', options, rules)
  const resolved = {
    interruptedAfter: Infinity,
    lostAfter: Infinity,
    giveUpAfter: Infinity,
    ...deepstream,
    protocol: linklightProtocol,
    clock: realClock,
    WebSocket: (globalThis as { WebSocket?: unknown }).WebSocket,
  } as Record<string, unknown>
  for (const name in options) {
    const value = options[name as keyof ClientOptions]
    if (value !== undefined) resolved[name] = value
  }
  if (!resolved.WebSocket) invalid('createClient', 'WebSocket', rules.WebSocket[1], undefined)
  return resolved as unknown as ResolvedOptions
}

/**
 * Checks the server URL: an absolute `ws:`/`wss:` URL (`http:`/`https:` are turned into them).
 */
export function resolveUrl(url: unknown): string {
  const text = typeof url == 'string' ? url.replace(/^http/, 'ws') : ''
  return /^wss?:\/\/[^/]/.test(text)
    ? text
    : invalid('createClient', 'url', 'an absolute ws:// or wss:// URL', url)
}
