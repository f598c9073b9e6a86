/**
 * What `fromAgora` takes: the shape of agora-rtc-sdk-ng's client (structural, so linklight
 * needs neither the SDK nor its types), the credentials `login()` joins with, the options, and
 * the checks that turn a wrong one into a `TypeError` saying what to pass.
 */
import { checkOptions, invalid, isObject, ms, type Rule } from '../core/check.js'
import type { ConnectionSource } from '../core/types.js'
import type { AgoraConnectionState, AgoraDisconnectedReason } from './agoraStates.js'

/**
 * A user id in Agora: a number or a string. Peers carry it as `String(uid)`.
 *
 * @example
 * ```ts
 * const peer = usePeer(String(user.uid))
 * ```
 */
export type AgoraUid = number | string

/**
 * What the adapter reads of a remote user (the SDK's `IAgoraRTCRemoteUser`).
 *
 * @example
 * ```ts
 * const ids = client.remoteUsers.map((user: AgoraRemoteUserLike) => String(user.uid))
 * ```
 */
export interface AgoraRemoteUserLike {
  readonly uid: AgoraUid
}

/**
 * A `connection-state-change` listener: the reason comes only with `DISCONNECTED`.
 *
 * @example
 * ```ts
 * const log: AgoraConnectionStateListener = (current, previous, reason) =>
 *   console.info(`${previous} → ${current}`, reason ?? '')
 * ```
 */
export type AgoraConnectionStateListener = (
  current: AgoraConnectionState,
  previous: AgoraConnectionState,
  reason?: AgoraDisconnectedReason,
) => void

/**
 * The client events the adapter listens to (and takes off again on `close()`).
 *
 * @example
 * ```ts
 * const listening = (['connection-state-change', 'user-joined', 'user-left'] as AgoraClientEvent[])
 *   .map((event) => client.getListeners(event).length)
 * ```
 */
export type AgoraClientEvent =
  'connection-state-change' | 'user-joined' | 'user-left' | 'network-quality'

/**
 * The SDK's `network-quality` report (every 2 s while joined): each direction from 0 (unknown)
 * through 1 (excellent) … 5 (barely usable) to 6 (disconnected).
 */
export interface AgoraNetworkQualityLike {
  readonly uplinkNetworkQuality: number
  readonly downlinkNetworkQuality: number
}

/**
 * The part of agora-rtc-sdk-ng's `IAgoraRTCClient` the adapter uses. The SDK's client has all of
 * it (the tests check that against the SDK's declarations), so pass it as it is.
 *
 * @example
 * ```ts
 * import AgoraRTC from 'agora-rtc-sdk-ng'
 * const client: AgoraClientLike = AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' })
 * ```
 */
export interface AgoraClientLike {
  readonly connectionState?: AgoraConnectionState
  readonly remoteUsers?: readonly AgoraRemoteUserLike[]
  on(event: 'connection-state-change', listener: AgoraConnectionStateListener): void
  on(event: 'user-joined', listener: (user: AgoraRemoteUserLike) => void): void
  on(event: 'user-left', listener: (user: AgoraRemoteUserLike, reason: string) => void): void
  on(event: 'network-quality', listener: (stats: AgoraNetworkQualityLike) => void): void
  off?(event: AgoraClientEvent, listener: (...args: never[]) => void): void
  /** The call's statistics; the adapter reads `RTT` (ms to Agora's edge server). */
  getRTCStats?(): { readonly RTT?: number }
  join?(
    appid: string,
    channel: string,
    token: string | null,
    uid?: AgoraUid | null,
  ): Promise<AgoraUid>
  leave?(): Promise<void>
}

/**
 * What `login()` joins with: the arguments of the SDK's `client.join()`.
 *
 * @example
 * ```ts
 * await source.login({ appid: APP_ID, channel: 'lobby', token, uid: 42 })
 * ```
 */
export interface AgoraCredentials {
  /** Your project's App ID. */
  readonly appid: string
  readonly channel: string
  /** The token from your token server; `null` or left out for a project without tokens. */
  readonly token?: string | null | undefined
  /** This user's id; `null` or left out to have Agora assign a number. */
  readonly uid?: AgoraUid | null | undefined
}

/**
 * Options of {@link fromAgora}. Times in milliseconds; `Infinity` turns a deadline off.
 *
 * @example
 * ```ts
 * fromAgora(client, { lostAfter: 10_000, giveUpAfter: Infinity })
 * ```
 */
export interface FromAgoraOptions {
  /**
   * `RECONNECTING` this long → snapshot `lost: true`, reason `LOST` and a `lost` event; the SDK
   * keeps retrying. Default 15000, the Agora page's T5. The web SDK does not say when data
   * stopped, so this counts from the change to `RECONNECTING`.
   */
  lostAfter?: number | undefined
  /**
   * Not `CONNECTED` again this long after the change to `RECONNECTING` → `ERROR`/`JOIN_FAILED`,
   * and the adapter calls `client.leave()` so the SDK stops retrying too. Default 1_200_000
   * (20 minutes), the Agora page's T7.
   */
  giveUpAfter?: number | undefined
}

/**
 * A `ConnectionSource` over an Agora client; `login()` takes {@link AgoraCredentials}.
 *
 * @example
 * ```ts
 * const source: AgoraSource = fromAgora(client)
 * await source.login({ appid: APP_ID, channel: 'lobby', token })
 * ```
 */
export interface AgoraSource extends ConnectionSource {
  /**
   * Joins the channel (`client.join(appid, channel, token ?? null, uid ?? null)`) and remembers
   * the credentials for `connect()` and `reconnect()`; without credentials, joins with the
   * remembered ones. Resolves once joined; rejects with the SDK's error, and the state becomes
   * `ERROR` (`INVALID_TOKEN`, `TOKEN_EXPIRED` or `JOIN_FAILED`, from that error).
   */
  login(credentials?: AgoraCredentials): Promise<void>
}

export const optionRules: Record<keyof FromAgoraOptions, Rule> = {
  lostAfter: ms(1, true),
  giveUpAfter: ms(1, true),
}

const AGORA_STATES: readonly unknown[] = [
  'DISCONNECTED',
  'CONNECTING',
  'RECONNECTING',
  'CONNECTED',
  'DISCONNECTING',
]

export function checkClient(client: unknown): asserts client is AgoraClientLike {
  const where = 'fromAgora'
  if (isObject(client) && typeof client.createClient == 'function')
    invalid(
      where,
      'client',
      "a client, not the SDK itself: pass AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' })",
      client,
    )
  // Only `on` is needed to follow a client; the rest is used when there (a stand-in in a test
  // may leave it out), but what is there must be what the SDK would have.
  const looksRight =
    isObject(client) &&
    typeof client.on == 'function' &&
    ['off', 'join', 'leave'].every(
      (name) => client[name] === undefined || typeof client[name] == 'function',
    ) &&
    (client.connectionState === undefined || AGORA_STATES.includes(client.connectionState)) &&
    (client.remoteUsers === undefined || Array.isArray(client.remoteUsers))
  if (!looksRight)
    invalid(
      where,
      'client',
      "an agora-rtc-sdk-ng client (on, off, join, leave, connectionState, remoteUsers): pass AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' })",
      client,
    )
}

const nonEmpty = (value: unknown) => typeof value == 'string' && value !== ''
const credentialRules: Record<keyof AgoraCredentials, Rule> = {
  appid: [nonEmpty, 'your Agora App ID, a non-empty string'],
  channel: [nonEmpty, 'a non-empty string'],
  token: [(v) => v === null || typeof v == 'string', 'a string or null'],
  uid: [
    (v) => v === null || typeof v == 'string' || typeof v == 'number',
    'a number, a string or null',
  ],
}

export function checkCredentials(credentials: unknown): AgoraCredentials {
  const where = 'fromAgora: login()'
  if (!isObject(credentials))
    invalid(where, 'credentials', 'an object { appid, channel, token?, uid? }', credentials)
  // appid and channel are required: checkOptions skips what is undefined.
  for (const name of ['appid', 'channel'] as const)
    if (credentials[name] === undefined)
      invalid(where, name, credentialRules[name][1], credentials[name])
  checkOptions(where, credentials, credentialRules)
  // A copy: what the app does to its object later is not what reconnect() joins with.
  const { appid, channel, token, uid } = credentials as unknown as AgoraCredentials
  return { appid, channel, token, uid }
}

/** The client with what the SDK always has filled in where a stand-in left it out. */
export type CompleteAgoraClient = Required<AgoraClientLike>

/**
 * `client` as the adapter uses it: missing `connectionState` reads `'DISCONNECTED'`, missing
 * `remoteUsers` none, a missing `off` or `leave` does nothing, and a missing `join` refuses.
 */
export function completeClient(client: AgoraClientLike): CompleteAgoraClient {
  return {
    get connectionState() {
      return client.connectionState ?? 'DISCONNECTED'
    },
    get remoteUsers() {
      return client.remoteUsers ?? []
    },
    on: client.on.bind(client),
    off: (event, listener) => client.off?.(event, listener),
    join: (...args) =>
      client.join
        ? client.join(...args)
        : Promise.reject(
            new TypeError(
              'fromAgora: login() needs client.join(), which an agora-rtc-sdk-ng client has',
            ),
          ),
    leave: () => client.leave?.() ?? Promise.resolve(),
    getRTCStats: () => client.getRTCStats?.() ?? {},
  }
}
