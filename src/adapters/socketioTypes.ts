/**
 * The parts of `socket.io-client` 4 that `fromSocketIO` uses, typed structurally (the package is
 * never imported), its options, and the checks run on what an app passes in.
 */
import {
  checkOptions,
  func,
  integer,
  invalid,
  isObject,
  ms,
  nonEmptyString,
  type Rule,
} from '../core/check.js'
import type { ConnectionSource } from '../core/types.js'

/** A Socket.IO event handler: any arguments. */
export type SocketIOListener = (...args: never[]) => void

/** The `Manager` behind a socket (`socket.io`): its reconnection settings and events. */
export interface SocketIOManagerLike {
  /** The two manager events the adapter follows: `reconnect_attempt` (n) and `reconnect_failed`. */
  on(event: 'reconnect_attempt' | 'reconnect_failed', listener: SocketIOListener): unknown
  off(event: 'reconnect_attempt' | 'reconnect_failed', listener?: SocketIOListener): unknown
  /** Whether the manager reconnects by itself (the `reconnection` option). */
  reconnection(): boolean
  /** The first wait before reconnecting, ms (the `reconnectionDelay` option, 1,000). */
  reconnectionDelay(): number
  /** The longest wait, ms (the `reconnectionDelayMax` option, 5,000). */
  reconnectionDelayMax(): number
}

/**
 * A `socket.io-client` `Socket`: what `fromSocketIO` reads, listens to and calls. Its `on`, `off`
 * and `emit` take `never` here so that a socket typed with the app's own events
 * (`Socket<ServerEvents, ClientEvents>`) fits as well as an untyped one: the adapter uses event
 * names of its own.
 */
export interface SocketIOSocketLike {
  readonly io: SocketIOManagerLike
  /** Connected to the server (the handshake with the namespace is done). */
  readonly connected: boolean
  /** Will reconnect, or is connecting: `false` after `disconnect()`, a refusal or a kick. */
  readonly active: boolean
  /** This connection resumed the previous session: the server replayed what it missed. */
  readonly recovered: boolean
  /** What the handshake sends (`auth` option): credentials go here. */
  auth: { [key: string]: unknown } | ((cb: (data: object) => void) => void)
  on(event: never, listener: never): unknown
  off(event: never, listener?: never): unknown
  emit(event: never, ...args: never[]): unknown
  /** An emit whose acknowledgement fails with an error after `ms`. */
  timeout(ms: number): { emit(event: never, ...args: never[]): unknown }
  connect(): unknown
  disconnect(): unknown
}

/** The same socket as the adapter calls it: any event name. */
export interface LooseSocket extends Omit<
  SocketIOSocketLike,
  'on' | 'off' | 'emit' | 'timeout' | 'io'
> {
  readonly io: LooseManager
  on(event: string, listener: SocketIOListener): unknown
  off(event: string, listener?: SocketIOListener): unknown
  emit(event: string, ...args: unknown[]): unknown
  timeout(ms: number): { emit(event: string, ...args: unknown[]): unknown }
}

/** The manager as the adapter calls it. */
export interface LooseManager extends Omit<SocketIOManagerLike, 'on' | 'off'> {
  on(event: string, listener: SocketIOListener): unknown
  off(event: string, listener?: SocketIOListener): unknown
}

/** Options of `fromSocketIO`. Every one is optional. */
export interface FromSocketIOOptions {
  /**
   * Prefix of the event names the adapter uses with `attachPresence` on the server
   * (`linklight:presence`, `linklight:send`, `linklight:message`, `linklight:set-presence`).
   * The same on both ends. Default `'linklight:'`.
   */
  prefix?: string | undefined
  /**
   * The event `send(data)` emits `{ id, data }` on, with an acknowledgement. Default
   * `${prefix}send`, which `attachPresence` answers; a handler of your own answers
   * `{ ok: true }` (or `{ ok: false, error }`) and may use `id` to skip a resend.
   */
  sendEvent?: string | undefined
  /** The event whose `{ from, id, data }` arrive as `message` events. Default `${prefix}message`. */
  messageEvent?: string | undefined
  /** How long `send()` waits for the server's acknowledgement before sending again, ms. Default 5,000. */
  ackTimeout?: number | undefined
  /** Most messages `send()` holds before it refuses new ones (nothing held is dropped). Default 1,000. */
  queueLimit?: number | undefined
  /** An outage this long → reason `LOST` and a `lost` event (`Infinity`: never). Default 15,000 ms. */
  lostAfter?: number | undefined
  /**
   * Not back this long after the outage began → `ERROR`/`JOIN_FAILED` and the socket is
   * disconnected (`Infinity`: never, the default: Socket.IO gives up by itself after its
   * `reconnectionAttempts`).
   */
  giveUpAfter?: number | undefined
  /** A unique prefix for this client's message ids (default: random). */
  messageIdPrefix?: string | undefined
  /** Makes the id of each message, from the prefix and a counter (default `${prefix}-${n}`). */
  messageId?: ((prefix: string, n: number) => string) | undefined
}

/** A `ConnectionSource` over a Socket.IO socket. */
export interface SocketIOSource extends ConnectionSource {
  /**
   * Whether the last connection resumed the previous session (`socket.recovered`): `true` means
   * "resumed, nothing missed"; `false` after a reconnection means the server could not replay
   * what this client missed (a `missed` event was emitted): reload your data.
   */
  readonly recovered: boolean
  /** This client's peer id, as the server's presence helper told it; `null` before, or unlisted. */
  readonly selfId: string | null
  /**
   * Replaces this client's presence data, held and sent again after every reconnection (the
   * server must allow it: `attachPresence`'s `clientPresence`).
   */
  setPresence(data: unknown): void
  /**
   * Sets `socket.auth` to `credentials` (an object, or Socket.IO's auth function) and connects
   * with them: the server's middleware checks them. Resolves at `OPEN`; rejects at `ERROR` (the
   * middleware refused) or `CLOSED`.
   */
  login(credentials?: unknown): Promise<void>
}

export const optionRules: Record<keyof FromSocketIOOptions, Rule> = {
  prefix: nonEmptyString,
  sendEvent: nonEmptyString,
  messageEvent: nonEmptyString,
  ackTimeout: ms(1),
  queueLimit: integer(1),
  lostAfter: ms(1, true),
  giveUpAfter: ms(1, true),
  messageIdPrefix: nonEmptyString,
  messageId: func(),
}

/** Throws a `TypeError` saying what to pass when `options` are not valid. */
export const checkSocketIOOptions = (options: FromSocketIOOptions | undefined) =>
  checkOptions('fromSocketIO', options, optionRules)

/** Throws a `TypeError` saying what to pass when `socket` is not a `socket.io-client` socket. */
export function checkSocket(socket: unknown): LooseSocket {
  const methods = (value: Record<string, unknown>, ...names: string[]) =>
    names.every((name) => typeof value[name] == 'function')
  if (
    isObject(socket) &&
    methods(socket, 'on', 'off', 'emit', 'timeout', 'connect', 'disconnect') &&
    typeof socket.connected == 'boolean' &&
    isObject(socket.io) &&
    methods(socket.io, 'on', 'off', 'reconnection', 'reconnectionDelay', 'reconnectionDelayMax')
  )
    return socket as unknown as LooseSocket
  invalid(
    'fromSocketIO',
    'socket',
    "a socket.io-client Socket (const socket = io('https://example.com'))",
    socket,
  )
}

/** Credentials for `login()`: Socket.IO's `auth` — an object, or a function that calls back with one. */
export function checkAuth(credentials: unknown): SocketIOSocketLike['auth'] {
  if (typeof credentials == 'function' || (isObject(credentials) && !Array.isArray(credentials)))
    return credentials as SocketIOSocketLike['auth']
  invalid(
    'fromSocketIO: login()',
    'credentials',
    "an object sent as Socket.IO's auth ({ token: '…' }), or a function (cb) => cb({ … })",
    credentials,
  )
}
