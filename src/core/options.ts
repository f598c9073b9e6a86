import { linklightProtocol, type Protocol } from './protocol.js'

/** Timers the client runs on; inject a fake one for deterministic tests. */
export interface Clock {
  now(): number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** The real clock: `Date.now` and the global timers. */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
}

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
  maxReconnectAttempts: 5,
  heartbeatInterval: 30_000,
  heartbeatFailure: 'error',
  connectTimeout: 10_000,
  lazyConnect: false,
  autoLogin: false,
  queueLimit: 1000,
} satisfies ClientOptions)

/**
 * Ready-made option sets. Both are plain frozen objects: spread one and override what you need.
 *
 * @example
 * ```ts
 * import { WebSocket } from 'ws'
 * const client = createClient(url, { ...presets.agora, WebSocket })
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
    lazyConnect: false,
    autoLogin: false,
    queueLimit: 1000,
  } satisfies ClientOptions),
})

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null
const hasFunctions = (v: unknown, names: string[]) =>
  isObject(v) && names.every((name) => typeof v[name] === 'function')
const ms = (v: unknown) => typeof v === 'number' && v >= 0 && Number.isFinite(v)
const positiveMs = (v: unknown) => ms(v) && (v as number) > 0
const positiveOrOff = (v: unknown) => v === Infinity || positiveMs(v)

const OFF = 'a positive number of milliseconds, or Infinity to turn it off'
// Each option: the test a value must pass and how to describe a valid value in the error.
const rules: Record<keyof ClientOptions, [(value: unknown) => boolean, string]> = {
  reconnectIntervalIncrement: [ms, 'a non-negative number of milliseconds'],
  maxReconnectInterval: [ms, 'a non-negative number of milliseconds'],
  maxReconnectAttempts: [
    (v) => v === Infinity || (Number.isInteger(v) && (v as number) > 0),
    'a positive integer or Infinity',
  ],
  heartbeatInterval: [positiveMs, 'a positive number of milliseconds'],
  heartbeatFailure: [(v) => v === 'error' || v === 'reconnect', "'error' or 'reconnect'"],
  interruptedAfter: [positiveOrOff, OFF],
  lostAfter: [positiveOrOff, OFF],
  giveUpAfter: [positiveOrOff, OFF],
  connectTimeout: [positiveMs, 'a positive number of milliseconds'],
  lazyConnect: [(v) => typeof v === 'boolean', 'true or false'],
  autoLogin: [(v) => typeof v === 'boolean', 'true or false'],
  queueLimit: [
    (v) => v === Infinity || (Number.isInteger(v) && (v as number) >= 0),
    'a non-negative integer or Infinity',
  ],
  protocol: [
    (v) => hasFunctions(v, ['encode', 'decode', 'ping', 'isPong']),
    'a codec with encode, decode, ping and isPong (e.g. plainProtocol())',
  ],
  WebSocket: [
    (v) => typeof v === 'function',
    'a WebSocket constructor (in Node 20 pass the one from the ws package)',
  ],
  clock: [
    (v) => hasFunctions(v, ['now', 'setTimeout', 'clearTimeout']),
    'an object with now, setTimeout and clearTimeout',
  ],
}

const show = (value: unknown) =>
  value === null
    ? 'null'
    : typeof value === 'string'
      ? JSON.stringify(value)
      : typeof value === 'object' || typeof value === 'function'
        ? typeof value
        : String(value)

/**
 * Fills in the defaults and checks every option, throwing a `TypeError` that names the first bad one.
 */
export function resolveOptions(options: ClientOptions = {}): ResolvedOptions {
  if (!isObject(options as unknown))
    throw new TypeError(`createClient: options must be an object (got ${show(options)})`)
  for (const name of Object.keys(rules) as (keyof ClientOptions)[]) {
    const value = options[name]
    const [valid, expected] = rules[name]
    if (value !== undefined && !valid(value))
      throw new TypeError(`createClient: ${name} must be ${expected} (got ${show(value)})`)
  }
  const WebSocket: WebSocketConstructor | undefined =
    options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket
  if (!WebSocket)
    throw new TypeError(
      "createClient: WebSocket is not available here; pass options.WebSocket (in Node 20: import { WebSocket } from 'ws')",
    )
  // An option given as `undefined` keeps its default, so presets can be spread and overridden.
  const defined = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as ClientOptions
  return {
    interruptedAfter: Infinity,
    lostAfter: Infinity,
    giveUpAfter: Infinity,
    ...deepstream,
    protocol: linklightProtocol,
    clock: realClock,
    ...defined,
    WebSocket,
  } as ResolvedOptions
}

/**
 * Checks the server URL: an absolute `ws:`/`wss:` URL (`http:`/`https:` are turned into them).
 */
export function resolveUrl(url: unknown): string {
  const text = typeof url === 'string' ? url.replace(/^http/, 'ws') : ''
  if (!/^wss?:\/\/[^/]/.test(text))
    throw new TypeError(
      `createClient: url must be an absolute ws:// or wss:// URL (got ${show(url)})`,
    )
  return text
}
