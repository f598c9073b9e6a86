import type { ConnectionError } from './machine.js'
import type { Peer } from './peers.js'
import type { LinkQuality } from './quality.js'
import type { ConnectionReason, ConnectionState, Phase, Tone } from './states.js'

export type { ConnectionError }

/**
 * Everything about the connection at one moment. Immutable: a new object only when something
 * in it changed, so it can be compared by reference.
 */
export interface ConnectionSnapshot {
  readonly state: ConnectionState
  /** The state before the last state change (`null` before the first); kept while the state is. */
  readonly previousState: ConnectionState | null
  /** Why the last change happened (`null` before the first); `LOST` once the link is lost. */
  readonly reason: ConnectionReason | null
  /** Agora's coarse phase: the handshake states read `RECONNECTING` on a rejoin. */
  readonly phase: Phase
  /** The traffic light: `good` (OPEN), `bad` (ERROR), `neutral` (the rest). */
  readonly tone: Tone
  /** Clock time of the last state change; a change of reason alone keeps it. */
  readonly since: number
  /** Reconnection attempts in the current outage: at least 1 in RECONNECTING, 0 in OPEN and CLOSED. */
  readonly attempt: number
  /** Clock time of the next attempt while waiting for it, else `null` (always in OPEN, CLOSED, ERROR). */
  readonly nextRetryAt: number | null
  /** Working through reconnection attempts: `attempt > 0` and not OPEN, CLOSED or ERROR. */
  readonly retrying: boolean
  /**
   * The outage has lasted `lostAfter`: turns true in the snapshot whose reason is `LOST`, with a
   * `lost` event; false again at OPEN, CLOSED or ERROR.
   */
  readonly lost: boolean
  /** Messages waiting for the connection. */
  readonly queued: number
  /** What went wrong, while it matters (`null` once OPEN or CLOSED). */
  readonly error: ConnectionError | null
  /**
   * For a combined source (`combineSources`), the name of the part whose state this is, or
   * `null` when no part is singled out (OPEN, CLOSED, or every part in this state); absent
   * for other sources.
   */
  readonly part?: string | null
}

/** Handlers of the events a connection source emits. */
export interface ConnectionEvents {
  /** Fires on every state change, after the snapshot with the new state is published. */
  connectionStateChanged: (state: ConnectionState, reason: ConnectionReason) => void
  /** The outage has lasted `lostAfter` (reason `LOST`); the source keeps trying. Once per outage. */
  lost: () => void
  /** Back to OPEN on a link that had been open (reason `REJOIN_SUCCESS`), after `connectionStateChanged`. */
  restored: () => void
  /** A peer came online; it is in `getPeers()` already. */
  peerJoined: (peer: Peer) => void
  /** A peer went offline (`online: false`, `leftReason` when known); gone from `getPeers()` already. */
  peerLeft: (peer: Peer) => void
  /** A peer's data changed: a new object for that peer only. */
  peerUpdated: (peer: Peer) => void
  /** A message from another peer (`from` is `null` when the server does not say). */
  message: (data: unknown, from: string | null) => void
  /**
   * Messages addressed to this client were lost for good: it came back after the server's
   * grace period, or more were sent meanwhile than the server keeps for a replay. `count` is
   * how many, or `null` when the server cannot tell. Reload what the messages would have told.
   */
  missed: (info: { count: number | null }) => void
  /** Something went wrong that did not change the state (a malformed frame, a refused message…). */
  error: (error: ConnectionError) => void
  /**
   * The link's quality changed: a heartbeat's round trip was measured, or the link went down or
   * came up (sources that measure it: linklight's client; see `getLinkQuality`).
   */
  quality: (quality: LinkQuality) => void
}

/**
 * What the store, the hooks and the indicator read: linklight's client implements it, and so do
 * the adapters (`fromDeepstream`, `fromAgora`) and the mock source. Every source obeys the same
 * contract — docs/sources.md in the package describes it, and `describeConnectionSource` from
 * `linklight/testing` proves it for a source of your own.
 *
 * @example
 * ```ts
 * const source: ConnectionSource = createClient('ws://127.0.0.1:8787')
 * const store = createConnectionStore(source)
 * ```
 */
export interface ConnectionSource {
  /**
   * The snapshot now. The same object until something in it changes, so it can be compared by
   * reference (and passed to `useSyncExternalStore`).
   *
   * @example
   * ```ts
   * const { state, reason, retrying } = source.getSnapshot()
   * ```
   */
  getSnapshot(): ConnectionSnapshot
  /**
   * Calls `listener` with every new snapshot; returns the function that stops it.
   *
   * @example
   * ```ts
   * const stop = source.subscribe((snapshot) => render(snapshot.tone))
   * stop()
   * ```
   */
  subscribe(listener: (snapshot: ConnectionSnapshot) => void): () => void
  /**
   * Calls `handler` on every `event`; returns the function that stops it. A handler that throws
   * is reported and does not stop the others.
   *
   * @example
   * ```ts
   * const off = source.on('lost', () => toast('Connection lost, still trying…'))
   * off()
   * ```
   */
  on<K extends keyof ConnectionEvents>(event: K, handler: ConnectionEvents[K]): () => void
  /**
   * The online peers now: a new map each call, without your own user.
   *
   * @example
   * ```ts
   * const names = [...source.getPeers().values()].map((peer) => peer.id)
   * ```
   */
  getPeers(): ReadonlyMap<string, Peer>
  /**
   * The link's quality now, for sources that measure it (linklight's client times every
   * heartbeat); absent on sources that cannot tell. Changes come as `quality` events.
   *
   * @example
   * ```ts
   * const { level, rtt } = source.getLinkQuality?.() ?? { level: 'unknown', rtt: null }
   * ```
   */
  getLinkQuality?(): LinkQuality
  /**
   * Starts connecting when `CLOSED` or `ERROR` (a fresh start); otherwise does nothing.
   *
   * @example
   * ```ts
   * const client = createClient(url, { lazyConnect: true })
   * client.connect()
   * ```
   */
  connect(): void
  /**
   * Logs in with `credentials` (connecting first when needed). Resolves at `OPEN`; rejects
   * when the login is refused, the source fails or `close()` comes first. The credentials are
   * kept and sent again after every reconnection.
   *
   * @example
   * ```ts
   * await source.login({ token })
   * ```
   */
  login(credentials?: unknown): Promise<void>
  /**
   * Sends `data` to the other peers: at once while `OPEN`, otherwise queued and sent in order
   * once it is. Resolves when the message is delivered as far as the source can tell (linklight's
   * client: acknowledged by the server); a source with no message channel rejects.
   *
   * @example
   * ```ts
   * await source.send({ text: 'hello' })
   * ```
   */
  send(data: unknown): Promise<void>
  /**
   * Tries again now: skips the wait for the next attempt, or starts over from `ERROR` (the
   * "Retry now" of the indicator). From `ERROR` the next `OPEN` is a rejoin.
   *
   * @example
   * ```ts
   * <button onClick={() => source.reconnect()}>Retry now</button>
   * ```
   */
  reconnect(): void
  /**
   * Closes for good: `CLOSED`/`LEAVE_CHANNEL`, every peer leaves, what is still queued is
   * rejected, and no timer, socket or listener of the source is left. `connect()` or `login()`
   * starts again.
   *
   * @example
   * ```ts
   * useEffect(() => () => source.close(), [source])
   * ```
   */
  close(): void
}

/** linklight's connection client: a `ConnectionSource` with a few methods of its own. */
export interface LinklightClient extends ConnectionSource {
  /**
   * The state now (the same as `getSnapshot().state`).
   *
   * @example
   * ```ts
   * if (client.getConnectionState() === 'OPEN') client.send({ typing: true })
   * ```
   */
  getConnectionState(): ConnectionState
  /**
   * The link's quality: the handshake's and every heartbeat's round trip, smoothed, as a level
   * (`excellent` up to 150 ms, `good` up to 400 ms, `poor` above; `lost` while down).
   *
   * @example
   * ```ts
   * const { level, rtt } = client.getLinkQuality() // 'excellent', 38
   * ```
   */
  getLinkQuality(): LinkQuality
  /**
   * Your presence data, shown to the other peers; kept and re-sent after every reconnect.
   *
   * @example
   * ```ts
   * client.setPresence({ name: 'Ada', cursor: { x: 10, y: 20 } })
   * ```
   */
  setPresence(data: unknown): void
}
