/**
 * What Socket.IO's events mean in linklight's states, one line each: the `disconnect` reasons, a
 * refused handshake, and the wait before the manager's next attempt.
 */
import type { ConnectionReason, ConnectionState } from '../core/states.js'
import { authFailureReason } from './refusals.js'

/** The reasons `socket.io-client` 4 gives its `disconnect` event. */
export type SocketIODisconnectReason =
  | 'io server disconnect'
  | 'io client disconnect'
  | 'ping timeout'
  | 'transport close'
  | 'transport error'
  | 'parse error'

/**
 * Each `disconnect` reason as the state it leads to and the reason linklight gives, when the
 * manager reconnects by itself:
 *
 * - `io client disconnect`: the app called `socket.disconnect()` → `CLOSED`/`LEAVE_CHANNEL`.
 * - `io server disconnect`: the server kicked this client (`socket.disconnect(true)`), and
 *   Socket.IO does not reconnect after a kick → `ERROR`/`REJECTED_BY_SERVER`.
 * - `ping timeout`: no ping from the server within `pingInterval + pingTimeout` → `RECONNECTING`/`KEEP_ALIVE_TIMEOUT`.
 * - `transport close`: the connection closed under it (a cut link, a killed server) → `RECONNECTING`/`INTERRUPTED`;
 *   {@link disconnectMapping} reads a clean WebSocket close (1000, 1001) as `SERVER_CLOSED`.
 * - `transport error`: the transport failed (a server gone mid-request) → `RECONNECTING`/`SERVER_CLOSED`.
 * - `parse error`: the server sent what the client could not decode → `RECONNECTING`/`PROTOCOL_ERROR`.
 *
 * @example
 * ```ts
 * socketIODisconnects['ping timeout'] // ['RECONNECTING', 'KEEP_ALIVE_TIMEOUT']
 * ```
 */
export const socketIODisconnects: Readonly<
  Record<SocketIODisconnectReason, readonly [ConnectionState, ConnectionReason]>
> = /* @__PURE__ */ Object.freeze({
  'io client disconnect': ['CLOSED', 'LEAVE_CHANNEL'],
  'io server disconnect': ['ERROR', 'REJECTED_BY_SERVER'],
  'ping timeout': ['RECONNECTING', 'KEEP_ALIVE_TIMEOUT'],
  'transport close': ['RECONNECTING', 'INTERRUPTED'],
  'transport error': ['RECONNECTING', 'SERVER_CLOSED'],
  'parse error': ['RECONNECTING', 'PROTOCOL_ERROR'],
})

/** The second argument of `disconnect`: for a WebSocket, the close event as `context`. */
export interface SocketIODisconnectDescription {
  readonly description?: unknown
  readonly context?: unknown
}

const closeCodeOf = (description: unknown): number | null => {
  const context = (description as SocketIODisconnectDescription | undefined)?.context
  const code = (context as { code?: unknown } | undefined)?.code
  return typeof code == 'number' ? code : null
}

/**
 * Where a `disconnect` leads: {@link socketIODisconnects}, refined by what happens next.
 *
 * - A `transport close` with a clean WebSocket close code (1000, 1001: the server closed or shut
 *   down) reads `SERVER_CLOSED`; a cut link (1006) stays `INTERRUPTED`.
 * - When the manager will not reconnect (`reconnection: false`), a drop is final: `ERROR`.
 * - A reason this version does not know: `RECONNECTING`/`INTERRUPTED` while the socket is
 *   active, `CLOSED`/`LEAVE_CHANNEL` when it is not.
 *
 * @example
 * ```ts
 * disconnectMapping('transport close', { context: { code: 1001 } }, { reconnects: true }) // ['RECONNECTING', 'SERVER_CLOSED']
 * disconnectMapping('ping timeout', undefined, { reconnects: false }) // ['ERROR', 'KEEP_ALIVE_TIMEOUT']
 * ```
 */
export function disconnectMapping(
  reason: string,
  description: unknown,
  { reconnects, active = true }: { readonly reconnects: boolean; readonly active?: boolean },
): readonly [ConnectionState, ConnectionReason] {
  const known = Object.hasOwn(socketIODisconnects, reason)
    ? socketIODisconnects[reason as SocketIODisconnectReason]
    : undefined
  let mapped = known ?? (active ? (['RECONNECTING', 'INTERRUPTED'] as const) : null)
  if (!mapped) return ['CLOSED', 'LEAVE_CHANNEL']
  const code = closeCodeOf(description)
  if (reason === 'transport close' && (code === 1000 || code === 1001))
    mapped = ['RECONNECTING', 'SERVER_CLOSED']
  return mapped[0] === 'RECONNECTING' && !reconnects ? ['ERROR', mapped[1]] : mapped
}

/** A `connect_error`: an `Error`, with `data` when a server middleware refused the handshake. */
export interface SocketIOConnectError {
  readonly message?: unknown
  readonly data?: unknown
}

const REFUSALS: readonly ConnectionReason[] = [
  'INVALID_TOKEN',
  'TOKEN_EXPIRED',
  'REJECTED_BY_SERVER',
]

/**
 * Why a server refused the handshake, from the `connect_error` it caused: `err.data.reason` (or
 * `err.data.code`) when it is `INVALID_TOKEN`, `TOKEN_EXPIRED` or `REJECTED_BY_SERVER`; otherwise
 * read from the message — "expired" → `TOKEN_EXPIRED`, "token", "unauthorized", "jwt",
 * "credential" → `INVALID_TOKEN`, anything else `REJECTED_BY_SERVER`.
 *
 * @example
 * ```ts
 * // server: io.use((socket, next) => next(Object.assign(new Error('token expired'), { data: { reason: 'TOKEN_EXPIRED' } })))
 * refusalReasonOf({ message: 'token expired' }) // 'TOKEN_EXPIRED'
 * refusalReasonOf({ message: 'nope', data: { reason: 'INVALID_TOKEN' } }) // 'INVALID_TOKEN'
 * ```
 */
export function refusalReasonOf(error: SocketIOConnectError | null | undefined): ConnectionReason {
  const data = error?.data as { reason?: unknown; code?: unknown } | null | undefined
  for (const said of [data?.reason, data?.code])
    if (REFUSALS.includes(said as ConnectionReason)) return said as ConnectionReason
  return authFailureReason(error?.message)
}

/**
 * When the manager will try again, as its backoff would wait without its random part: the
 * `n`-th wait (from 0) is `reconnectionDelay × 2ⁿ`, at most `reconnectionDelayMax`. Socket.IO
 * moves each wait by up to ± `randomizationFactor` (0.5) of it, so this is the middle of the
 * window.
 *
 * @example
 * ```ts
 * expectedRetryDelay(0, { delay: 1000, max: 5000 }) // 1000
 * expectedRetryDelay(4, { delay: 1000, max: 5000 }) // 5000
 * ```
 */
export function expectedRetryDelay(
  failed: number,
  { delay, max }: { readonly delay: number; readonly max: number },
): number {
  return Math.min(delay * 2 ** Math.min(failed, 52), max)
}
