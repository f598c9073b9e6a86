import type { ConnectionError } from './machine.js'
import type { Peer } from './peers.js'
import type { ConnectionReason, ConnectionState, Phase, Tone } from './states.js'

export type { ConnectionError }

/**
 * Everything about the connection at one moment. Immutable: a new object only when something
 * in it changed, so it can be compared by reference.
 */
export interface ConnectionSnapshot {
  readonly state: ConnectionState
  /** The state before the last change (`null` before the first). */
  readonly previousState: ConnectionState | null
  /** Why the last change happened (`null` before the first). */
  readonly reason: ConnectionReason | null
  readonly phase: Phase
  readonly tone: Tone
  /** Clock time of the last state change. */
  readonly since: number
  /** Reconnection attempts made in the current outage (0 when not reconnecting). */
  readonly attempt: number
  /** Clock time of the next attempt while waiting for it, else `null`. */
  readonly nextRetryAt: number | null
  /** Whether the client is working through reconnection attempts and will keep trying. */
  readonly retrying: boolean
  /** Whether the `lost` deadline passed in the current outage. */
  readonly lost: boolean
  /** Messages waiting for the connection. */
  readonly queued: number
  /** What went wrong, while it matters (`null` once OPEN or CLOSED). */
  readonly error: ConnectionError | null
}

/** Handlers of the events a connection source emits. */
export interface ConnectionEvents {
  connectionStateChanged: (state: ConnectionState, reason: ConnectionReason) => void
  /** No data for `lostAfter`; the client keeps trying. */
  lost: () => void
  /** Back to OPEN after the link had been lost (reason `REJOIN_SUCCESS`). */
  restored: () => void
  peerJoined: (peer: Peer) => void
  peerLeft: (peer: Peer) => void
  peerUpdated: (peer: Peer) => void
  message: (data: unknown, from: string | null) => void
  /**
   * Messages addressed to this client were lost for good: it came back after the server's
   * grace period, or more were sent meanwhile than the server keeps for a replay. `count` is
   * how many, or `null` when the server cannot tell. Reload what the messages would have told.
   */
  missed: (info: { count: number | null }) => void
  /** Something went wrong that did not change the state (a malformed frame, a refused message…). */
  error: (error: ConnectionError) => void
}

/**
 * What a store needs from a connection: linklight's client implements it, and so do the
 * adapters and the mock source.
 */
export interface ConnectionSource {
  getSnapshot(): ConnectionSnapshot
  /** Calls `listener` with every new snapshot; returns the function that stops it. */
  subscribe(listener: (snapshot: ConnectionSnapshot) => void): () => void
  on<K extends keyof ConnectionEvents>(event: K, handler: ConnectionEvents[K]): () => void
  /** The online peers now (a copy). */
  getPeers(): ReadonlyMap<string, Peer>
  connect(): void
  login(credentials?: unknown): Promise<void>
  send(data: unknown): Promise<void>
  reconnect(): void
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
   * Your presence data, shown to the other peers; kept and re-sent after every reconnect.
   *
   * @example
   * ```ts
   * client.setPresence({ name: 'Ada', cursor: { x: 10, y: 20 } })
   * ```
   */
  setPresence(data: unknown): void
}
