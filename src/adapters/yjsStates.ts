/**
 * How linklight reads a Yjs provider: where a y-websocket `WebsocketProvider` or a
 * `HocuspocusProvider` is (its bare status string plus the sync and auth flags) as one of the
 * eight states, why a socket closed, why Hocuspocus refused a token, and why an awareness state
 * went away. Pure data and functions, no provider: `fromYjs` feeds them what it reads.
 */
import type { LeftReason } from '../core/peers.js'
export { authFailureReason } from './refusals.js'
import type { ConnectionReason, ConnectionState } from '../core/states.js'

/**
 * The status string both providers report (`status` event, y-websocket's `wsconnected` /
 * `wsconnecting`, Hocuspocus's `websocketProvider.status`).
 *
 * @example
 * ```ts
 * provider.on('status', ({ status }: { status: YjsStatus }) => console.info(status))
 * ```
 */
export type YjsStatus = 'connecting' | 'connected' | 'disconnected'

/**
 * Which provider a `fromYjs` source drives.
 *
 * @example
 * ```ts
 * const kind: YjsProviderKind = 'hocuspocus'
 * ```
 */
export type YjsProviderKind = 'y-websocket' | 'hocuspocus'

/**
 * What {@link mapYjsStatus} reads: the provider's link, as of one moment.
 *
 * @example
 * ```ts
 * mapYjsStatus({ kind: 'y-websocket', status: 'connected', synced: false })
 * ```
 */
export interface YjsLink {
  readonly kind: YjsProviderKind
  readonly status: YjsStatus
  /** The document finished its sync step 2 on this connection. */
  readonly synced: boolean
  /** Hocuspocus only: the server accepted the token on this connection. */
  readonly authenticated?: boolean | undefined
}

/**
 * A state and its reason, as `kit.moveTo` takes them.
 *
 * @example
 * ```ts
 * const [state, reason]: YjsMapping = ['CHALLENGING', 'CHALLENGE']
 * ```
 */
export type YjsMapping = readonly [state: ConnectionState, reason: ConnectionReason]

/**
 * Where a provider whose link is up or coming up is, in linklight's states; `null` for
 * `'disconnected'`, whose state depends on why (see {@link closeReasonOf}) and on whether the
 * provider still wants to connect.
 *
 * | provider | linklight | why |
 * |---|---|---|
 * | `connecting` | `AWAITING_CONNECTION`/`CONNECTING` | the socket is opening |
 * | y-websocket `connected`, not synced | `CHALLENGING`/`CHALLENGE` | sync step 1/2 negotiate the document state with the server: nothing is live yet, edits only queue |
 * | Hocuspocus `connected`, not authenticated | `AUTHENTICATING`/`AUTHENTICATING` | the token is sent at open and nothing syncs until `onAuthenticate` accepts it |
 * | Hocuspocus authenticated, not synced | `CHALLENGING`/`CHALLENGE` | as for y-websocket |
 * | synced | `OPEN`/`JOIN_SUCCESS` | the document is live (the source kit makes it `REJOIN_SUCCESS` after a drop) |
 *
 * y-websocket has no authentication step of its own (a server checks the URL's query
 * parameters before the upgrade), so it never reads `AUTHENTICATING`.
 *
 * @example
 * ```ts
 * mapYjsStatus({ kind: 'hocuspocus', status: 'connected', synced: false, authenticated: false })
 * // ['AUTHENTICATING', 'AUTHENTICATING']
 * ```
 */
export function mapYjsStatus(link: YjsLink): YjsMapping | null {
  switch (link.status) {
    case 'connecting':
      return ['AWAITING_CONNECTION', 'CONNECTING']
    case 'connected':
      if (link.synced) return ['OPEN', 'JOIN_SUCCESS']
      if (link.kind === 'hocuspocus' && !link.authenticated)
        return ['AUTHENTICATING', 'AUTHENTICATING']
      return ['CHALLENGING', 'CHALLENGE']
    case 'disconnected':
      return null
    default:
      // A status a later provider adds: say so rather than guess.
      return ['ERROR', 'PROTOCOL_ERROR']
  }
}

/**
 * The part of a close event the adapter reads (a DOM `CloseEvent`, ws's, or Hocuspocus's
 * `{ code, reason }`).
 *
 * @example
 * ```ts
 * const event: YjsCloseEventLike = { code: 1006, reason: '' }
 * ```
 */
export interface YjsCloseEventLike {
  readonly code: number
  readonly reason: string
}

/**
 * What {@link closeReasonOf} needs besides the close event.
 *
 * @example
 * ```ts
 * closeReasonOf({ code: 1006, reason: '' }, { silentFor: 31_000, timeout: 30_000 }) // KEEP_ALIVE_TIMEOUT
 * ```
 */
export interface YjsCloseContext {
  /** Milliseconds since the provider last received a message (`Infinity` when unknown). */
  readonly silentFor: number
  /** The provider's `messageReconnectTimeout`: silence this long makes it close the socket. */
  readonly timeout: number
}

/**
 * Why a link the provider wants to keep dropped:
 *
 * | close | reason |
 * |---|---|
 * | `null` event (y-websocket closed the socket itself: its watchdog, since `disconnect()` clears `shouldConnect` first) | `KEEP_ALIVE_TIMEOUT` |
 * | Hocuspocus's `4408`/`'forced'` (its watchdog, when the socket would not even close) | `KEEP_ALIVE_TIMEOUT` |
 * | any close after `timeout` ms without a message | `KEEP_ALIVE_TIMEOUT` |
 * | `1006` (no close frame: the link was cut, the server crashed) | `INTERRUPTED` |
 * | any other code (the server closed the socket, e.g. `1001` going away) | `SERVER_CLOSED` |
 *
 * @example
 * ```ts
 * closeReasonOf(null, { silentFor: 31_000, timeout: 30_000 }) // 'KEEP_ALIVE_TIMEOUT'
 * closeReasonOf({ code: 1001, reason: '' }, { silentFor: 5, timeout: 30_000 }) // 'SERVER_CLOSED'
 * ```
 */
export function closeReasonOf(
  event: YjsCloseEventLike | null | undefined,
  { silentFor, timeout }: YjsCloseContext,
): ConnectionReason {
  if (!event) return 'KEEP_ALIVE_TIMEOUT'
  if (event.code === 4408 && event.reason === 'forced') return 'KEEP_ALIVE_TIMEOUT'
  if (silentFor >= timeout) return 'KEEP_ALIVE_TIMEOUT'
  return event.code === 1006 ? 'INTERRUPTED' : 'SERVER_CLOSED'
}

/**
 * How long an awareness state may go without a renewal before its removal counts as a drop. A
 * live client renews its state every 15 s (y-protocols renews once it is `outdatedTimeout / 2`
 * old, checking every 3 s: at most ~18 s apart); 20 s leaves room for the trip. A removal of a
 * state older than this is the server (or this client) giving up on a client that stopped
 * renewing, not a goodbye.
 *
 * @example
 * ```ts
 * const stale = Date.now() - lastRenewal >= AWARENESS_STALE_AFTER // its removal reads DROPPED
 * ```
 */
export const AWARENESS_STALE_AFTER = 20_000

/**
 * Why an awareness state went away, as a peer's `leftReason`:
 *
 * - origin `'timeout'` (this client's awareness stopped hearing it for 30 s) → `DROPPED`;
 * - a remote `null` state for a client not heard from in {@link AWARENESS_STALE_AFTER} → `DROPPED`:
 *   the server timed it out, or noticed its dead socket (the server times clients out on the
 *   same 30 s, and its removal may arrive before this client's own timeout);
 * - any other remote `null` state (the client closed its provider, its tab, its page) → `QUIT`.
 *
 * @example
 * ```ts
 * awarenessLeftReason('timeout', 0) // 'DROPPED'
 * awarenessLeftReason(provider, 2_000) // 'QUIT'
 * awarenessLeftReason(provider, 31_000) // 'DROPPED'
 * ```
 */
export function awarenessLeftReason(origin: unknown, silentFor: number): LeftReason {
  return origin === 'timeout' || silentFor >= AWARENESS_STALE_AFTER ? 'DROPPED' : 'QUIT'
}
