/**
 * deepstream's sixteen connection states on linklight's eight, one line each, and the few
 * changes that depend on what happened before (a give-up, a missed heartbeat, a rejoin).
 */
import type { ConnectionReason, ConnectionState } from '../core/states.js'

/** The states of `@deepstream/client` 7 (`CONNECTION_STATE`), as the strings it reports. */
export type DeepstreamState =
  | 'CLOSING'
  | 'CLOSED'
  | 'INITIALISING'
  | 'AWAITING_CONNECTION'
  | 'CHALLENGING'
  | 'AWAITING_AUTHENTICATION'
  | 'AUTHENTICATING'
  | 'OPEN'
  | 'ERROR'
  | 'RECONNECTING'
  | 'REDIRECTING'
  | 'CHALLENGE_DENIED'
  | 'TOO_MANY_AUTH_ATTEMPTS'
  | 'AUTHENTICATION_TIMEOUT'
  | 'PAUSING'
  | 'OFFLINE'

/**
 * Each deepstream state as a linklight state and the reason it gives.
 *
 * - `CLOSING`, `PAUSING` and `OFFLINE` are the app's own doing (`close()`, `pause()`), so they
 *   read as `CLOSED`/`LEAVE_CHANNEL`: nothing is wrong and nothing retries.
 * - `CHALLENGE_DENIED`, `TOO_MANY_AUTH_ATTEMPTS` and `AUTHENTICATION_TIMEOUT` end the client's
 *   tries: `ERROR`, with the Agora reason that says why.
 * - deepstream never enters its own `ERROR` through a transition; if it does, the protocol
 *   went wrong.
 *
 * @example
 * ```ts
 * deepstreamStates.REDIRECTING // ['CHALLENGING', 'REDIRECT']
 * ```
 */
export const deepstreamStates: Readonly<
  Record<DeepstreamState, readonly [ConnectionState, ConnectionReason]>
> = /* @__PURE__ */ Object.freeze({
  CLOSING: ['CLOSED', 'LEAVE_CHANNEL'],
  CLOSED: ['CLOSED', 'LEAVE_CHANNEL'],
  INITIALISING: ['AWAITING_CONNECTION', 'CONNECTING'],
  AWAITING_CONNECTION: ['AWAITING_CONNECTION', 'CONNECTING'],
  CHALLENGING: ['CHALLENGING', 'CHALLENGE'],
  REDIRECTING: ['CHALLENGING', 'REDIRECT'],
  AWAITING_AUTHENTICATION: ['AWAITING_AUTHENTICATION', 'AWAITING_LOGIN'],
  AUTHENTICATING: ['AUTHENTICATING', 'AUTHENTICATING'],
  OPEN: ['OPEN', 'JOIN_SUCCESS'],
  RECONNECTING: ['RECONNECTING', 'INTERRUPTED'],
  ERROR: ['ERROR', 'PROTOCOL_ERROR'],
  CHALLENGE_DENIED: ['ERROR', 'REJECTED_BY_SERVER'],
  TOO_MANY_AUTH_ATTEMPTS: ['ERROR', 'INVALID_TOKEN'],
  AUTHENTICATION_TIMEOUT: ['ERROR', 'JOIN_FAILED'],
  PAUSING: ['CLOSED', 'LEAVE_CHANNEL'],
  OFFLINE: ['CLOSED', 'LEAVE_CHANNEL'],
})

/** What the adapter remembers between deepstream's state changes. */
export interface DeepstreamContext {
  /** `MAX_RECONNECTION_ATTEMPTS_REACHED` came, and the client has not tried again since. */
  readonly gaveUp: boolean
  /**
   * The link had been `OPEN` and dropped: the next `OPEN` is a rejoin. `fromDeepstream` leaves
   * this out: its source kit decides every source's rejoin the same way.
   */
  readonly rejoin?: boolean
  /** Why the link is being re-established, when something more precise than INTERRUPTED. */
  readonly cause: ConnectionReason | null
}

/**
 * The linklight state and reason for deepstream's `state`, or `null` to stay where it is (the
 * `CLOSING`/`CLOSED` deepstream passes through after giving up: the deepstream page calls that
 * moment an error, and so does linklight, until the app tries again).
 *
 * @example
 * ```ts
 * mapDeepstreamState('OPEN', { gaveUp: false, rejoin: true, cause: null }) // ['OPEN', 'REJOIN_SUCCESS']
 * mapDeepstreamState('CLOSED', { gaveUp: true, rejoin: false, cause: null }) // null: still ERROR
 * ```
 */
export function mapDeepstreamState(
  state: string,
  context: DeepstreamContext,
): readonly [ConnectionState, ConnectionReason] | null {
  if (context.gaveUp && (state === 'CLOSING' || state === 'CLOSED')) return null
  const mapped = deepstreamStates[state as DeepstreamState] ?? ['ERROR', 'PROTOCOL_ERROR']
  if (mapped[0] === 'OPEN' && context.rejoin) return ['OPEN', 'REJOIN_SUCCESS']
  if (mapped[0] === 'RECONNECTING' && context.cause) return ['RECONNECTING', context.cause]
  return mapped
}
