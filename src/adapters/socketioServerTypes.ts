/**
 * What `attachPresence` takes and returns: the parts of Socket.IO's `Server`, `Namespace`,
 * `Socket` and `BroadcastOperator` it uses, typed structurally (linklight imports no Socket.IO;
 * tests/integration/socketioServer.test.ts passes real ones), its options and their checks.
 */
import { func, integer, ms, nonEmptyString, type Rule } from '../core/check.js'
import type { PeerInfo } from '../core/protocol.js'

/** A listener as the structural types below take it. */
export type PresenceListener = (...args: unknown[]) => void

/**
 * The part of a Socket.IO `Socket` that `attachPresence` uses.
 *
 * @example
 * ```ts
 * io.on('connection', (socket: PresenceSocketLike) => console.info(socket.id))
 * ```
 */
export interface PresenceSocketLike {
  readonly id: string
  on(event: string, listener: PresenceListener): unknown
  off(event: string, listener: PresenceListener): unknown
  emit(event: string, ...args: never[]): unknown
  join(room: string): unknown
  leave?(room: string): unknown
}

/**
 * The part of a Socket.IO `BroadcastOperator` that `attachPresence` uses.
 *
 * @example
 * ```ts
 * const everyone: PresenceBroadcastLike = io.local.to('linklight')
 * ```
 */
export interface PresenceBroadcastLike {
  to(room: string): PresenceBroadcastLike
  except(room: string): PresenceBroadcastLike
  emit(event: string, ...args: never[]): unknown
}

/**
 * The part of a Socket.IO `Namespace` that `attachPresence` uses.
 *
 * @example
 * ```ts
 * const chat: PresenceNamespaceLike = io.of('/chat')
 * ```
 */
export interface PresenceNamespaceLike<S extends PresenceSocketLike = PresenceSocketLike> {
  readonly sockets: ReadonlyMap<string, S>
  /** Its adapter: whether it is a cluster adapter decides whether nodes talk at all. */
  readonly adapter: object
  readonly local: PresenceBroadcastLike
  on(event: string, listener: PresenceListener): unknown
  off(event: string, listener: PresenceListener): unknown
  serverSideEmit(event: string, ...args: never[]): unknown
}

/**
 * A Socket.IO `Server` (its main namespace is used) or `Namespace`.
 *
 * @example
 * ```ts
 * const target: PresenceServerLike = new Server(httpServer)
 * ```
 */
export type PresenceServerLike<S extends PresenceSocketLike = PresenceSocketLike> =
  PresenceNamespaceLike<S> | { readonly sockets: PresenceNamespaceLike<S> }

/**
 * Who a socket is: its peer `id` (1 to 128 characters; several sockets may share one) and its
 * first presence `data` (plain JSON within `PRESENCE_LIMITS`), or `null` for an observer, which
 * receives presence and messages but is not listed.
 *
 * @example
 * ```ts
 * const identity: PresenceIdentity = { id: 'ada', data: { color: '#e91e63' } }
 * ```
 */
export type PresenceIdentity = { id: string; data?: unknown } | null

/**
 * Options of {@link attachPresence}.
 *
 * @example
 * ```ts
 * const options: AttachPresenceOptions<Socket> = { identify: (socket) => ({ id: socket.data.userId }) }
 * ```
 */
export interface AttachPresenceOptions<S extends PresenceSocketLike = PresenceSocketLike> {
  /**
   * Who a newly connected socket is (run once per socket, after your middleware). Throwing,
   * rejecting or returning something that is not an identity keeps the socket out of presence:
   * it gets no snapshot and its sends are refused.
   */
  identify(socket: S): PresenceIdentity | Promise<PresenceIdentity>
  /** The room every identified or observing socket joins. Default `'linklight'`. */
  room?: string
  /** The event name prefix, as on the client. Default `'linklight:'`. */
  prefix?: string
  /** Milliseconds between full reports of this node's peers to the others. Default 5,000. */
  beatInterval?: number
  /** Milliseconds of silence after which a node's peers leave `DROPPED`. Default 15,000. */
  peerTimeout?: number
  /** Whether a client may replace its own presence data (`set-presence`). Default `true`. */
  clientPresence?: boolean
  /** Whether sent messages go to the room's other sockets as `message`. Default `true`. */
  relay?: boolean
  /**
   * Called once per message (duplicates are not passed again); throwing or rejecting refuses
   * the message: the sender gets `{ ok: false, error }` with the error's message, and it is not
   * relayed. Runs on the node the sender is connected to.
   */
  onMessage?(data: unknown, from: { id: string | null; socket: S }): void | Promise<void>
  /** How many message ids are remembered to recognise a resend. Default 10,000; 0: none. */
  dedupe?: number
}

/**
 * What {@link attachPresence} returns.
 *
 * @example
 * ```ts
 * presence.peers().map((peer) => peer.id)
 * ```
 */
export interface Presence {
  /** This node's random id, as the other nodes know it. */
  readonly node: string
  /** Everyone online across the cluster, as this node sees it. */
  peers(): PeerInfo[]
  /**
   * Replaces a peer's presence data, on whichever node holds it; throws a `TypeError` when the
   * id or the data is not valid.
   */
  update(peerId: string, data: unknown): void
  /**
   * Stops: takes off every listener and timer it added; the other nodes forget this node (its
   * peers leave `QUIT` there). Call it before closing the adapter's connections (e.g. quitting
   * the Redis clients): a node message sent on a closed ioredis client rejects unhandled.
   */
  close(): void
}

const flag: Rule = [(value) => typeof value == 'boolean', 'true or false']

/** One rule per option of {@link AttachPresenceOptions}, for `checkOptions`. */
export const optionRules: Record<string, Rule> = {
  identify: func('a function (socket) => { id, data? } or null'),
  room: nonEmptyString,
  prefix: nonEmptyString,
  beatInterval: ms(1),
  peerTimeout: ms(1),
  clientPresence: flag,
  relay: flag,
  onMessage: func('a function (data, from) => void'),
  dedupe: integer(0, 10_000_000),
}
