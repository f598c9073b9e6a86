/**
 * The vocabulary of linklight: deepstream's connection states, the traffic-light tone,
 * Agora's coarse phases and the reason carried by every change. docs/states.md in the package
 * explains each of them, and the presets' timelines.
 */

// Each vocabulary is one tuple: its type, its frozen object and its codes all come from it.
const nameMap = <T extends string>(names: readonly T[]) =>
  Object.freeze(Object.fromEntries(names.map((name) => [name, name]))) as { readonly [K in T]: K }

const STATES = [
  'CLOSED',
  'AWAITING_CONNECTION',
  'CHALLENGING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATING',
  'OPEN',
  'RECONNECTING',
  'ERROR',
] as const

/**
 * Connection states, in deepstream's vocabulary (the canonical one in linklight):
 * - `CLOSED` — closed deliberately by `close()`; no reconnection. Also the state before the first connect.
 * - `AWAITING_CONNECTION` — opening the physical connection, waiting for the server's first response.
 * - `CHALLENGING` — negotiating with the server; may end in a redirect.
 * - `AWAITING_AUTHENTICATION` — connected and negotiated, waiting for `login()`.
 * - `AUTHENTICATING` — `login()` sent, waiting for the answer.
 * - `OPEN` — established; everything is fine.
 * - `RECONNECTING` — the link was lost; the client retries on its schedule.
 * - `ERROR` — declared unrecoverable; nothing more happens until `reconnect()` or `login()`.
 *
 * See docs/states.md in the package for what leads to each state and what the app can do there.
 *
 * @example
 * ```ts
 * if (client.getConnectionState() === ConnectionState.OPEN) client.send({ hello: 'world' })
 * ```
 */
export const ConnectionState = /* @__PURE__ */ nameMap(STATES)

/** One of the eight connection states: `'CLOSED' | 'AWAITING_CONNECTION' | … | 'ERROR'`. */
export type ConnectionState = (typeof STATES)[number]

/** The traffic light: `'good'` (green), `'neutral'` (amber) or `'bad'` (red). */
export type Tone = 'good' | 'neutral' | 'bad'

/**
 * The traffic-light tone of a state: `OPEN` is good, `ERROR` is bad, everything between is neutral.
 * To show other colours, pass `tones` to the store or the indicator (docs/states.md in the package).
 *
 * @example
 * ```ts
 * toneOf('RECONNECTING') // 'neutral'
 * ```
 */
export function toneOf(state: ConnectionState): Tone {
  return state === 'OPEN' ? 'good' : state === 'ERROR' ? 'bad' : 'neutral'
}

/** Agora's coarse connection phases with their numeric codes (see docs/states.md in the package). */
export const PhaseCode = /* @__PURE__ */ Object.freeze({
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
 * connection and as `RECONNECTING` while re-establishing a connection that had been open. See
 * docs/states.md in the package.
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

// Agora's reasons first, in the order of their codes below; then linklight's own.
const REASONS = [
  'CONNECTING',
  'JOIN_SUCCESS',
  'INTERRUPTED',
  'BANNED_BY_SERVER',
  'JOIN_FAILED',
  'LEAVE_CHANNEL',
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'REJECTED_BY_SERVER',
  'KEEP_ALIVE_TIMEOUT',
  'REJOIN_SUCCESS',
  'LOST',
  'CHALLENGE',
  'REDIRECT',
  'AWAITING_LOGIN',
  'AUTHENTICATING',
  'MAX_RECONNECT_ATTEMPTS',
  'NETWORK_OFFLINE',
  'NETWORK_ONLINE',
  'SERVER_CLOSED',
  'PROTOCOL_ERROR',
  'RETRY_REQUESTED',
] as const

// Agora's CONNECTION_CHANGED_* codes of the first reasons above; the gaps (6, 7, 11–13) are
// Agora reasons linklight has no use for.
const AGORA_CODES = [0, 1, 2, 3, 4, 5, 8, 9, 10, 14, 15, 16]

/**
 * Why the last change happened, with Agora's numeric code where Agora has one (`null` for
 * linklight's own reasons). Exported as a frozen object mapping each reason to itself.
 * docs/states.md in the package says when each one happens and whether the source keeps trying.
 *
 * @example
 * ```ts
 * client.on('connectionStateChanged', (state, reason) => {
 *   if (reason === ConnectionReason.TOKEN_EXPIRED) refreshToken()
 * })
 * ```
 */
export const ConnectionReason = /* @__PURE__ */ nameMap(REASONS)

/** One of the reasons in {@link ConnectionReason}. */
export type ConnectionReason = (typeof REASONS)[number]

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
  return AGORA_CODES[REASONS.indexOf(reason)] ?? null
}

const USUAL_REASON: Record<Exclude<ConnectionState, 'ERROR'>, ConnectionReason> = {
  CLOSED: 'LEAVE_CHANNEL',
  AWAITING_CONNECTION: 'CONNECTING',
  CHALLENGING: 'CHALLENGE',
  AWAITING_AUTHENTICATION: 'AWAITING_LOGIN',
  AUTHENTICATING: 'AUTHENTICATING',
  OPEN: 'JOIN_SUCCESS',
  RECONNECTING: 'INTERRUPTED',
}

/**
 * The reason a state usually has, for a source made in that state or moved there without one
 * (the mock's `set(state)`, a part of a combined source). ERROR's depends on who gave up.
 */
export const usualReason = (
  state: ConnectionState,
  error: ConnectionReason = 'JOIN_FAILED',
): ConnectionReason => (state == 'ERROR' ? error : USUAL_REASON[state])
