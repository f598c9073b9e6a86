/**
 * What `fromYjs` takes: the shapes of y-websocket's `WebsocketProvider` and of
 * `@hocuspocus/provider`'s `HocuspocusProvider`, typed structurally (linklight imports neither;
 * tests/adapters/yjsTypes.ts checks these shapes against both packages' declarations), the
 * options, and the checks that turn a wrong argument into a `TypeError` saying what to pass.
 */
import { invalid, isObject, ms, type Rule } from '../core/check.js'
import type { ConnectionSource } from '../core/types.js'
import type { YjsCloseEventLike, YjsProviderKind, YjsStatus } from './yjsStates.js'

/**
 * What an awareness `change`/`update` event says changed: client ids.
 *
 * @example
 * ```ts
 * awareness.on('change', ({ added, updated, removed }: YjsAwarenessChanges) => console.info(added))
 * ```
 */
export interface YjsAwarenessChanges {
  readonly added: readonly number[]
  readonly updated: readonly number[]
  readonly removed: readonly number[]
}

/**
 * An awareness listener: the changes, and who made them (`'local'`, `'timeout'`, the provider…).
 *
 * @example
 * ```ts
 * const log: YjsAwarenessListener = (changes, origin) => console.info(changes, origin)
 * ```
 */
export type YjsAwarenessListener = (changes: YjsAwarenessChanges, origin: unknown) => void

/**
 * The part of y-protocols' `Awareness` the adapter reads: the states by client id, this
 * client's id, when each state was last renewed, and the `change` event.
 *
 * @example
 * ```ts
 * const awareness: YjsAwarenessLike = provider.awareness
 * ```
 */
export interface YjsAwarenessLike {
  readonly clientID: number
  getStates(): Map<number, { [x: string]: unknown }>
  /** `lastUpdated` is this client's clock time (ms) of the state's last renewal. */
  readonly meta?: Map<number, { readonly clock: number; readonly lastUpdated: number }>
  /** `change`: states added, changed or removed; `update`: the same, and every renewal. */
  on(event: 'change' | 'update', listener: YjsAwarenessListener): void
  off(event: 'change' | 'update', listener: YjsAwarenessListener): void
}

/**
 * The part of y-websocket's `WebsocketProvider` the adapter uses; pass the provider as it is.
 *
 * @example
 * ```ts
 * import { WebsocketProvider } from 'y-websocket'
 * const provider: YWebsocketProviderLike = new WebsocketProvider(url, 'room', doc)
 * ```
 */
export interface YWebsocketProviderLike {
  readonly awareness: YjsAwarenessLike
  readonly wsconnected: boolean
  readonly wsconnecting: boolean
  readonly synced: boolean
  readonly shouldConnect: boolean
  /** Clock time (ms) of the last message received. */
  readonly wsLastMessageReceived: number
  /** The URL's query parameters; `login()` adds to them. */
  params: { [x: string]: string }
  on(event: 'status', listener: (event: { status: YjsStatus }) => void): unknown
  on(event: 'sync', listener: (synced: boolean) => void): unknown
  on(
    event: 'connection-close',
    listener: (event: YjsCloseEventLike | null, provider: never) => void,
  ): unknown
  on(event: 'closed', listener: (event: YjsCloseEventLike, provider: never) => void): unknown
  off(event: YWebsocketEvent, listener: (...args: never[]) => void): unknown
  connect(): void
  disconnect(): void
}

/**
 * The `WebsocketProvider` events the adapter listens to (and takes off again on `close()`).
 *
 * @example
 * ```ts
 * const names: YWebsocketEvent[] = ['status', 'sync', 'connection-close', 'closed']
 * ```
 */
export type YWebsocketEvent = 'status' | 'sync' | 'connection-close' | 'closed'

/**
 * The part of `@hocuspocus/provider`'s `HocuspocusProviderWebsocket` the adapter reads.
 *
 * @example
 * ```ts
 * const socket: HocuspocusSocketLike = provider.configuration.websocketProvider
 * ```
 */
export interface HocuspocusSocketLike {
  readonly status: `${YjsStatus}`
  readonly shouldConnect: boolean
  /** Clock time (ms) of the last message received; 0 before the first on a socket. */
  readonly lastMessageReceived: number
  readonly configuration: { readonly messageReconnectTimeout: number }
  connect(): Promise<unknown>
}

/**
 * A Hocuspocus token: a string, or a function that returns one.
 *
 * @example
 * ```ts
 * const token: HocuspocusToken = () => fetch('/token').then((response) => response.text())
 * ```
 */
export type HocuspocusToken = string | (() => string) | (() => Promise<string>) | null

/**
 * The `HocuspocusProvider` events the adapter listens to.
 *
 * @example
 * ```ts
 * const names: HocuspocusEvent[] = ['status', 'authenticated', 'authenticationFailed']
 * ```
 */
export type HocuspocusEvent =
  'status' | 'synced' | 'unsyncedChanges' | 'authenticated' | 'authenticationFailed' | 'disconnect'

/**
 * The part of `@hocuspocus/provider`'s `HocuspocusProvider` the adapter uses; pass the provider
 * as it is, with its own socket (`url`) or a shared `websocketProvider`.
 *
 * @example
 * ```ts
 * import { HocuspocusProvider } from '@hocuspocus/provider'
 * const provider: HocuspocusProviderLike = new HocuspocusProvider({ url, name: 'doc', token })
 * ```
 */
export interface HocuspocusProviderLike {
  readonly isSynced: boolean
  readonly isAuthenticated: boolean
  /** `true` when the provider made its own socket (created with `url`). */
  readonly manageSocket: boolean
  readonly isAttached: boolean
  readonly awareness: YjsAwarenessLike | null
  readonly configuration: {
    token: HocuspocusToken
    readonly websocketProvider: HocuspocusSocketLike
  }
  on(event: 'status', listener: (data: { status: `${YjsStatus}` }) => void): unknown
  on(event: 'synced', listener: (data: { state: boolean }) => void): unknown
  on(event: 'unsyncedChanges', listener: (data: { number: number }) => void): unknown
  on(event: 'authenticated', listener: (data: { scope: string }) => void): unknown
  on(event: 'authenticationFailed', listener: (data: { reason: string }) => void): unknown
  on(event: 'disconnect', listener: (data: { event: YjsCloseEventLike }) => void): unknown
  off(event: HocuspocusEvent, listener: (...args: never[]) => void): unknown
  attach(): void
  detach(): void
  disconnect(): void
  /** Sends the token for this document on the socket (again). */
  sendToken(): Promise<void>
  /** Starts the document's sync (sync step 1, and awareness). */
  startSync(): void
}

/**
 * A provider `fromYjs` takes: y-websocket's or Hocuspocus's.
 *
 * @example
 * ```ts
 * const provider: YjsProviderLike = new WebsocketProvider(url, 'room', doc)
 * ```
 */
export type YjsProviderLike = YWebsocketProviderLike | HocuspocusProviderLike

/**
 * What `login()` takes: a token (Hocuspocus: the provider's `token`; y-websocket: the `token`
 * query parameter), `{ token }`, or for y-websocket `{ params }` to add to the URL's query.
 *
 * @example
 * ```ts
 * await source.login({ token: await fetchToken() })
 * ```
 */
export type YjsCredentials =
  | string
  | { readonly token?: HocuspocusToken | undefined; readonly params?: Record<string, string> }

/**
 * Options of {@link fromYjs}. Times in milliseconds; `Infinity` turns a deadline off.
 *
 * @example
 * ```ts
 * fromYjs(provider, { lostAfter: 10_000, giveUpAfter: Infinity })
 * ```
 */
export interface FromYjsOptions {
  /**
   * Down this long → snapshot `lost: true`, reason `LOST` and a `lost` event, while the
   * provider keeps retrying. Default 15000 (the Agora page's T5), counted from the drop.
   */
  lostAfter?: number | undefined
  /**
   * Not synced again this long after the drop → `ERROR`/`JOIN_FAILED`, and the provider is
   * disconnected so nothing retries behind a red badge; `reconnect()` connects it again.
   * Default 1_200_000 (20 minutes, the Agora page's T7). Neither provider gives up by itself.
   */
  giveUpAfter?: number | undefined
}

/**
 * A `ConnectionSource` over a Yjs provider; `login()` takes {@link YjsCredentials}.
 *
 * @example
 * ```ts
 * const source: YjsSource = fromYjs(provider)
 * await source.login({ token })
 * ```
 */
export interface YjsSource extends ConnectionSource {
  /**
   * Connects with credentials, and resolves once the document is synced (`OPEN`); rejects when
   * it ends in `ERROR` (a refused token) or `close()` comes first. Hocuspocus: sets the
   * provider's `token` and authenticates again. y-websocket: adds the token (as `token`) or
   * `params` to the URL's query, and reconnects when the link was up with other parameters.
   */
  login(credentials?: YjsCredentials): Promise<void>
}

export const optionRules: Record<keyof FromYjsOptions, Rule> = {
  lostAfter: ms(1, true),
  giveUpAfter: ms(1, true),
}

const isAwareness = (value: unknown) =>
  isObject(value) &&
  typeof value.clientID == 'number' &&
  ['getStates', 'on', 'off'].every((name) => typeof value[name] == 'function')

/** Which provider `provider` is; a `TypeError` saying what to pass when it is neither. */
export function providerKind(provider: unknown): YjsProviderKind {
  const where = 'fromYjs'
  if (isObject(provider)) {
    const methods = (...names: string[]) =>
      names.every((name) => typeof provider[name] == 'function')
    const configuration = provider.configuration
    if (
      isObject(configuration) &&
      isObject(configuration.websocketProvider) &&
      methods('on', 'off', 'attach', 'detach', 'disconnect') &&
      (provider.awareness === null || isAwareness(provider.awareness))
    )
      return 'hocuspocus'
    if (
      typeof provider.wsconnected == 'boolean' &&
      methods('on', 'off', 'connect', 'disconnect') &&
      isAwareness(provider.awareness)
    )
      return 'y-websocket'
    if (isObject(provider.doc) && !isObject(provider.awareness))
      invalid(where, 'provider', 'a provider, not a Y.Doc: pass the provider of the doc', provider)
  }
  return invalid(
    where,
    'provider',
    'a y-websocket WebsocketProvider or a HocuspocusProvider (new WebsocketProvider(url, room, doc), new HocuspocusProvider({ url, name }))',
    provider,
  )
}

/** `credentials` as `{ token?, params? }`; a `TypeError` saying what to pass when wrong. */
export function checkCredentials(credentials: unknown): {
  token?: HocuspocusToken
  params?: Record<string, string>
} {
  const where = 'fromYjs: login()'
  if (typeof credentials == 'string') return { token: credentials }
  if (!isObject(credentials))
    invalid(where, 'credentials', 'a token string, { token } or { params }', credentials)
  const { token, params } = credentials
  if (
    token !== undefined &&
    token !== null &&
    typeof token != 'string' &&
    typeof token != 'function'
  )
    invalid(where, 'token', 'a string, a function that returns one, or null', token)
  if (
    params !== undefined &&
    !(isObject(params) && Object.values(params).every((value) => typeof value == 'string'))
  )
    invalid(where, 'params', 'an object of strings (URL query parameters)', params)
  return {
    ...(token !== undefined && { token: token as HocuspocusToken }),
    ...(params !== undefined && { params: { ...(params as Record<string, string>) } }),
  }
}
