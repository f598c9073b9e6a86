/**
 * The vocabulary of linklight: deepstream's connection states, the traffic-light tone,
 * Agora's coarse phases and the reason carried by every change.
 */

/**
 * Connection states, in deepstream's vocabulary (the canonical one in linklight).
 *
 * @example
 * ```ts
 * if (client.getConnectionState() === ConnectionState.OPEN) client.send({ hello: 'world' })
 * ```
 */
export const ConnectionState = Object.freeze({
  /** Closed deliberately by `close()`; no reconnection. Also the state before the first connect. */
  CLOSED: 'CLOSED',
  /** Opening the physical connection and waiting for the server's first response. */
  AWAITING_CONNECTION: 'AWAITING_CONNECTION',
  /** Negotiating with the server; may end in a redirect. */
  CHALLENGING: 'CHALLENGING',
  /** Connected and negotiated, waiting for `login()`. */
  AWAITING_AUTHENTICATION: 'AWAITING_AUTHENTICATION',
  /** `login()` sent, waiting for the answer. */
  AUTHENTICATING: 'AUTHENTICATING',
  /** Established; everything is fine. */
  OPEN: 'OPEN',
  /** The link was lost; the client retries on its schedule. */
  RECONNECTING: 'RECONNECTING',
  /** Declared unrecoverable; nothing more happens until `reconnect()` or `login()`. */
  ERROR: 'ERROR',
})

/** One of the eight connection states: `'CLOSED' | 'AWAITING_CONNECTION' | … | 'ERROR'`. */
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState]

/** The traffic light: `'good'` (green), `'neutral'` (amber) or `'bad'` (red). */
export type Tone = 'good' | 'neutral' | 'bad'

/**
 * The traffic-light tone of a state: `OPEN` is good, `ERROR` is bad, everything between is neutral.
 *
 * @example
 * ```ts
 * toneOf('RECONNECTING') // 'neutral'
 * ```
 */
export function toneOf(state: ConnectionState): Tone {
  return state === 'OPEN' ? 'good' : state === 'ERROR' ? 'bad' : 'neutral'
}

/** Agora's coarse connection phases with their numeric codes. */
export const PhaseCode = Object.freeze({
  DISCONNECTED: 1,
  CONNECTING: 2,
  CONNECTED: 3,
  RECONNECTING: 4,
  FAILED: 5,
})

/** One of Agora's five coarse phases: `'DISCONNECTED' | 'CONNECTING' | 'CONNECTED' | 'RECONNECTING' | 'FAILED'`. */
export type Phase = keyof typeof PhaseCode

/** What {@link phaseOf} needs besides the state. */
export interface PhaseContext {
  /** `true` while re-establishing a connection that had been `OPEN`. */
  readonly reconnecting?: boolean
}

/**
 * Agora's coarse phase for a state. The handshake states count as `CONNECTING` during a first
 * connection and as `RECONNECTING` while re-establishing a connection that had been open.
 *
 * @example
 * ```ts
 * phaseOf('CHALLENGING') // 'CONNECTING'
 * phaseOf('CHALLENGING', { reconnecting: true }) // 'RECONNECTING'
 * PhaseCode[phaseOf('OPEN')] // 3
 * ```
 */
export function phaseOf(state: ConnectionState, context: PhaseContext = {}): Phase {
  switch (state) {
    case 'CLOSED':
      return 'DISCONNECTED'
    case 'OPEN':
      return 'CONNECTED'
    case 'ERROR':
      return 'FAILED'
    case 'RECONNECTING':
      return 'RECONNECTING'
    default:
      return context.reconnecting ? 'RECONNECTING' : 'CONNECTING'
  }
}

/**
 * Why the last change happened, with Agora's numeric code where Agora has one (`null` for
 * linklight's own reasons). Exported as a frozen object mapping each reason to its code.
 *
 * @example
 * ```ts
 * client.on('connectionStateChanged', (state, reason) => {
 *   if (reason === 'TOKEN_EXPIRED') refreshToken()
 * })
 * ```
 */
export const ConnectionReason = Object.freeze({
  CONNECTING: 'CONNECTING',
  JOIN_SUCCESS: 'JOIN_SUCCESS',
  INTERRUPTED: 'INTERRUPTED',
  BANNED_BY_SERVER: 'BANNED_BY_SERVER',
  JOIN_FAILED: 'JOIN_FAILED',
  LEAVE_CHANNEL: 'LEAVE_CHANNEL',
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  REJECTED_BY_SERVER: 'REJECTED_BY_SERVER',
  KEEP_ALIVE_TIMEOUT: 'KEEP_ALIVE_TIMEOUT',
  REJOIN_SUCCESS: 'REJOIN_SUCCESS',
  LOST: 'LOST',
  CHALLENGE: 'CHALLENGE',
  REDIRECT: 'REDIRECT',
  AWAITING_LOGIN: 'AWAITING_LOGIN',
  AUTHENTICATING: 'AUTHENTICATING',
  MAX_RECONNECT_ATTEMPTS: 'MAX_RECONNECT_ATTEMPTS',
  NETWORK_OFFLINE: 'NETWORK_OFFLINE',
  NETWORK_ONLINE: 'NETWORK_ONLINE',
  SERVER_CLOSED: 'SERVER_CLOSED',
  PROTOCOL_ERROR: 'PROTOCOL_ERROR',
  RETRY_REQUESTED: 'RETRY_REQUESTED',
})

/** One of the reasons in {@link ConnectionReason}. */
export type ConnectionReason = (typeof ConnectionReason)[keyof typeof ConnectionReason]

// Agora's CONNECTION_CHANGED_* codes; the gaps (6, 7, 11–13) are Agora reasons linklight has no use for.
const agoraCodes: Partial<Record<ConnectionReason, number>> = {
  CONNECTING: 0,
  JOIN_SUCCESS: 1,
  INTERRUPTED: 2,
  BANNED_BY_SERVER: 3,
  JOIN_FAILED: 4,
  LEAVE_CHANNEL: 5,
  INVALID_TOKEN: 8,
  TOKEN_EXPIRED: 9,
  REJECTED_BY_SERVER: 10,
  KEEP_ALIVE_TIMEOUT: 14,
  REJOIN_SUCCESS: 15,
  LOST: 16,
}

/**
 * Agora's numeric code for a reason, or `null` for reasons that only linklight has.
 *
 * @example
 * ```ts
 * reasonCode('TOKEN_EXPIRED') // 9
 * reasonCode('REDIRECT') // null
 * ```
 */
export function reasonCode(reason: ConnectionReason): number | null {
  return agoraCodes[reason] ?? null
}
