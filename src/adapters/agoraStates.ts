/**
 * Agora's web vocabulary (agora-rtc-sdk-ng 4.x) and how linklight reads it: the five connection
 * states, the reasons of a `DISCONNECTED`, why a remote user left. Pure data and functions, no
 * SDK: these string unions are checked against the SDK's declarations in the tests
 * (tests/adapters/agoraTypes.ts), so an SDK that adds a reason fails the type check there.
 */
import type { LeftReason } from '../core/peers.js'
import type { QualityLevel } from '../core/quality.js'
import type { AgoraNetworkQualityLike } from './agoraClient.js'
import type { ConnectionReason, ConnectionState } from '../core/states.js'

/**
 * The SDK's `ConnectionState`: `client.connectionState` and the first two arguments of
 * `connection-state-change`.
 *
 * @example
 * ```ts
 * const joined = (client.connectionState as AgoraConnectionState) === 'CONNECTED'
 * ```
 */
export type AgoraConnectionState =
  'DISCONNECTED' | 'CONNECTING' | 'RECONNECTING' | 'CONNECTED' | 'DISCONNECTING'

/**
 * The values of the SDK's `ConnectionDisconnectedReason` enum: the third argument of
 * `connection-state-change`, given when the new state is `DISCONNECTED`.
 *
 * @example
 * ```ts
 * const banned: AgoraDisconnectedReason[] = ['UID_BANNED', 'IP_BANNED', 'CHANNEL_BANNED']
 * ```
 */
export type AgoraDisconnectedReason =
  | 'LEAVE'
  | 'NETWORK_ERROR'
  | 'SERVER_ERROR'
  | 'UID_BANNED'
  | 'FALLBACK'
  | 'IP_BANNED'
  | 'CHANNEL_BANNED'
  | 'LICENSE_MISSING'
  | 'LICENSE_EXPIRED'
  | 'LICENSE_MINUTES_EXCEEDED'
  | 'LICENSE_PERIOD_INVALID'
  | 'LICENSE_MULTIPLE_SDK_SERVICE'
  | 'LICENSE_ILLEGAL'
  | 'TOKEN_EXPIRE'
  | 'FALLBACK_TO_HLS'
  | 'UID_CONFLICT'

/**
 * Why `user-left` says a remote user went (the SDK types it as `string`; these are documented).
 *
 * @example
 * ```ts
 * client.on('user-left', (user, reason) => {
 *   if ((reason as AgoraUserLeftReason) === 'ServerTimeOut') showDropped(user.uid)
 * })
 * ```
 */
export type AgoraUserLeftReason = 'Quit' | 'ServerTimeOut' | 'BecomeAudience'

/**
 * What one Agora change becomes in linklight.
 *
 * @example
 * ```ts
 * const { state, reason }: AgoraMapping = agoraDisconnectReasons.TOKEN_EXPIRE // ERROR, TOKEN_EXPIRED
 * ```
 */
export interface AgoraMapping {
  readonly state: ConnectionState
  readonly reason: ConnectionReason
  /** For `ERROR`: what happened, in words, for the snapshot's `error.message`. */
  readonly message?: string
}

const error = (reason: ConnectionReason, message: string): AgoraMapping => ({
  state: 'ERROR',
  reason,
  message,
})
const license = (what: string) =>
  error('REJECTED_BY_SERVER', `the Agora license ${what}; check the project's license`)

/**
 * What a `DISCONNECTED` with each of the SDK's reasons becomes. `DISCONNECTED` means the SDK has
 * stopped (it is where a failed join, a ban and a reconnection the SDK gave up on all end), so
 * everything but `LEAVE` is `ERROR`: nothing more happens until the app joins again.
 *
 * | Agora reason | linklight | why |
 * |---|---|---|
 * | `LEAVE` | `CLOSED`/`LEAVE_CHANNEL` | `leave()` was called |
 * | `NETWORK_ERROR` | `ERROR`/`JOIN_FAILED` | "the network is down, and cannot recover after retry": the SDK stopped retrying (the Agora page's T7) |
 * | `SERVER_ERROR` | `ERROR`/`REJECTED_BY_SERVER` | "usually caused by incorrect parameter settings" |
 * | `UID_BANNED`, `IP_BANNED`, `CHANNEL_BANNED` | `ERROR`/`BANNED_BY_SERVER` | banned |
 * | `TOKEN_EXPIRE` | `ERROR`/`TOKEN_EXPIRED` | join again with a new token |
 * | `LICENSE_*` (six) | `ERROR`/`REJECTED_BY_SERVER` | the server refuses the license |
 * | `UID_CONFLICT` | `ERROR`/`REJECTED_BY_SERVER` | another client joined with the same uid (linklight's server refuses such a login the same way) |
 * | `FALLBACK_TO_HLS` | `ERROR`/`REJECTED_BY_SERVER` | the server moved this client from RTC to HLS: the RTC link will not come back by itself |
 * | `FALLBACK` | `RECONNECTING`/`INTERRUPTED` | the SDK is switching routes and carries on (4.24 never emits it: it drops such changes) |
 *
 * A reason not in this table (one a later SDK adds) is `ERROR`/`JOIN_FAILED`, and one with no
 * reason at all is `ERROR`/`JOIN_FAILED` too (a failed `join()`), or `CLOSED`/`LEAVE_CHANNEL`
 * after `DISCONNECTING`: see {@link mapAgoraStateChange}.
 *
 * @example
 * ```ts
 * agoraDisconnectReasons.UID_BANNED // { state: 'ERROR', reason: 'BANNED_BY_SERVER', message: … }
 * ```
 */
export const agoraDisconnectReasons: { readonly [R in AgoraDisconnectedReason]: AgoraMapping } =
  /* @__PURE__ */ Object.freeze({
    LEAVE: { state: 'CLOSED', reason: 'LEAVE_CHANNEL' },
    NETWORK_ERROR: error('JOIN_FAILED', 'the network is down and the SDK stopped retrying'),
    SERVER_ERROR: error(
      'REJECTED_BY_SERVER',
      'the server returned an error, usually for a wrong parameter of join()',
    ),
    UID_BANNED: error('BANNED_BY_SERVER', 'this user is banned from the channel'),
    FALLBACK: { state: 'RECONNECTING', reason: 'INTERRUPTED' },
    IP_BANNED: error('BANNED_BY_SERVER', "this device's IP address is banned"),
    CHANNEL_BANNED: error('BANNED_BY_SERVER', 'the channel is banned'),
    LICENSE_MISSING: license('is missing'),
    LICENSE_EXPIRED: license('has expired'),
    LICENSE_MINUTES_EXCEEDED: license('has no minutes left'),
    LICENSE_PERIOD_INVALID: license('is outside its valid period'),
    LICENSE_MULTIPLE_SDK_SERVICE: license('is used by more than one SDK service'),
    LICENSE_ILLEGAL: license('is not valid'),
    TOKEN_EXPIRE: error('TOKEN_EXPIRED', 'the token expired; join again with a new token'),
    FALLBACK_TO_HLS: error('REJECTED_BY_SERVER', 'the server moved this client to HLS'),
    UID_CONFLICT: error('REJECTED_BY_SERVER', 'another client joined with the same uid'),
  })

/**
 * What {@link mapAgoraStateChange} needs to know besides the change.
 *
 * @example
 * ```ts
 * mapAgoraStateChange('CONNECTED', 'RECONNECTING', undefined, { rejoin: true }) // REJOIN_SUCCESS
 * ```
 */
export interface AgoraChangeContext {
  /**
   * Whether a `CONNECTED` now re-establishes a link: the client had been `CONNECTED` since it
   * last joined (or the app asked to rejoin after an error). For mapping by hand: `fromAgora`
   * leaves it out, its source kit decides every source's rejoin the same way.
   */
  readonly rejoin?: boolean
}

/**
 * What a `connection-state-change(current, previous, reason)` becomes in linklight, or `null`
 * for a change that changes nothing:
 *
 * | Agora | linklight |
 * |---|---|
 * | `CONNECTING` | `AWAITING_CONNECTION`/`CONNECTING` |
 * | `CONNECTED` | `OPEN`/`JOIN_SUCCESS`, or `OPEN`/`REJOIN_SUCCESS` when `rejoin` |
 * | `RECONNECTING` | `RECONNECTING`/`INTERRUPTED` |
 * | `DISCONNECTING` | `null`: the reason comes with the `DISCONNECTED` that follows, and the SDK passes through `DISCONNECTING` on its way to `TOKEN_EXPIRE` too, so it does not mean `leave()` |
 * | `DISCONNECTED` with a reason | {@link agoraDisconnectReasons}; an unknown reason → `ERROR`/`JOIN_FAILED` |
 * | `DISCONNECTED` without one, after `DISCONNECTING` | `CLOSED`/`LEAVE_CHANNEL` |
 * | `DISCONNECTED` without one, otherwise | `ERROR`/`JOIN_FAILED` (how the SDK ends a failed `join()`) |
 *
 * Whether a handshake is a first connection or a reconnection (the phase), the `lost` deadline
 * and giving up are `fromAgora`'s business, not this function's.
 *
 * @example
 * ```ts
 * mapAgoraStateChange('DISCONNECTED', 'CONNECTED', 'TOKEN_EXPIRE')
 * // { state: 'ERROR', reason: 'TOKEN_EXPIRED', message: 'the token expired; join again with a new token' }
 * mapAgoraStateChange('CONNECTED', 'RECONNECTING', undefined, { rejoin: true })
 * // { state: 'OPEN', reason: 'REJOIN_SUCCESS' }
 * ```
 */
export function mapAgoraStateChange(
  current: AgoraConnectionState,
  previous: AgoraConnectionState,
  reason?: string,
  context: AgoraChangeContext = {},
): AgoraMapping | null {
  switch (current) {
    case 'CONNECTING':
      return { state: 'AWAITING_CONNECTION', reason: 'CONNECTING' }
    case 'CONNECTED':
      return { state: 'OPEN', reason: context.rejoin ? 'REJOIN_SUCCESS' : 'JOIN_SUCCESS' }
    case 'RECONNECTING':
      return { state: 'RECONNECTING', reason: 'INTERRUPTED' }
    case 'DISCONNECTING':
      return null
    case 'DISCONNECTED':
      if (reason === undefined)
        return previous === 'DISCONNECTING' || previous === 'DISCONNECTED'
          ? agoraDisconnectReasons.LEAVE
          : error('JOIN_FAILED', 'the SDK disconnected without a reason (a failed join)')
      return Object.hasOwn(agoraDisconnectReasons, reason)
        ? agoraDisconnectReasons[reason as AgoraDisconnectedReason]
        : error('JOIN_FAILED', 'the SDK disconnected for a reason linklight does not know')
    default:
      // A state a later SDK adds: say so rather than guess.
      return error('PROTOCOL_ERROR', `the SDK reported an unknown state (${String(current)})`)
  }
}

/**
 * Why a peer left, from `user-left`'s reason: `'Quit'` (it called `leave()`) → `QUIT`,
 * `'ServerTimeOut'` (no data from it for 20 s) → `DROPPED`, `'BecomeAudience'` (a host became
 * audience: it chose to stop being seen, as with a quit) → `QUIT`.
 *
 * @example
 * ```ts
 * agoraLeftReasons.ServerTimeOut // 'DROPPED'
 * ```
 */
export const agoraLeftReasons: { readonly [R in AgoraUserLeftReason]: LeftReason } =
  /* @__PURE__ */ Object.freeze({ Quit: 'QUIT', ServerTimeOut: 'DROPPED', BecomeAudience: 'QUIT' })

/** {@link agoraLeftReasons} for any string; `undefined` (left, reason unknown) for others. */
export const leftReasonOf = (reason: unknown): LeftReason | undefined =>
  typeof reason == 'string' && Object.hasOwn(agoraLeftReasons, reason)
    ? agoraLeftReasons[reason as AgoraUserLeftReason]
    : undefined

/**
 * The reason of an `ERROR` after `join()` rejected with `error` (an `AgoraRTCError`, whose
 * message carries the server's words): a refused or malformed token is `INVALID_TOKEN`, an
 * expired one `TOKEN_EXPIRED`, anything else `JOIN_FAILED`.
 */
export function joinErrorReason(error: unknown): ConnectionReason {
  const text = error instanceof Error ? error.message : String(error)
  if (/expired|token timeout|TOKEN_EXPIRE/i.test(text)) return 'TOKEN_EXPIRED'
  if (/invalid token|authorized failed|use (static|dynamic) key/i.test(text)) return 'INVALID_TOKEN'
  return 'JOIN_FAILED'
}

/**
 * The level of an Agora `network-quality` report: the worse direction, as linklight names it —
 * 1 `excellent`, 2–3 `good`, 4–5 `poor`, 6 `lost`, 0 (or anything else) `unknown`.
 *
 * @example
 * ```ts
 * agoraQualityLevel({ uplinkNetworkQuality: 1, downlinkNetworkQuality: 4 }) // 'poor'
 * ```
 */
export function agoraQualityLevel(stats: AgoraNetworkQualityLike): QualityLevel {
  const worst = Math.max(stats.uplinkNetworkQuality, stats.downlinkNetworkQuality)
  return worst === 1
    ? 'excellent'
    : worst === 2 || worst === 3
      ? 'good'
      : worst === 4 || worst === 5
        ? 'poor'
        : worst === 6
          ? 'lost'
          : 'unknown'
}
