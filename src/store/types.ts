/**
 * The public types of a connection store: what it holds (`ConnectionStoreData`), its actions
 * (`ConnectionStoreState`), its events and the store itself. `createConnectionStore` makes one.
 */
import type { LinkQuality } from '../core/quality.js'
import type { StoreApi } from 'zustand/vanilla'
import type { Clock } from '../core/clock.js'
import type { ConnectionReason, ConnectionState } from '../core/states.js'
import type { ConnectionError, ConnectionSnapshot } from '../core/types.js'
import type { DisplayStatus } from './display.js'
import type { ConnectionHistoryEntry } from './history.js'
import type { PeerLists } from './peerLists.js'
import type { ToneOverrides } from './tones.js'

/**
 * What a store holds, without its actions: all a hook reads, and what a selector given to
 * `useConnectionStore` receives.
 *
 * @example
 * ```ts
 * const summary = (s: ConnectionStoreData) =>
 *   `${s.display.state}: ${s.peerList.length} online, ${s.departedPeers.size} gone`
 * ```
 */
export interface ConnectionStoreData extends PeerLists {
  readonly connection: ConnectionSnapshot
  /** `true` while the connection is not OPEN: the peers are what was last known. */
  readonly peersStale: boolean
  /** What an indicator shows: the smoothed status (see `nextDisplay`). */
  readonly display: DisplayStatus
  /**
   * The last transitions of the source (a new state, reason or attempt) since the store first
   * attached, newest last; at most the store's `historyLimit` (default 50). What the source did
   * while the store was detached shows as one entry, when it attaches again. A new array only
   * together with a new `connection`.
   */
  readonly history: readonly ConnectionHistoryEntry[]
  /**
   * The link's quality, for sources that measure it (linklight's client, `fromAgora`);
   * `unknown` for the others. It changes on its own, with every heartbeat: read it with
   * `useLinkQuality()`, and `useConnectionState()` never re-renders for it.
   */
  readonly quality: LinkQuality
}

/**
 * The state of a connection store: its data and its actions.
 *
 * @example
 * ```ts
 * const { connection, peers, departedPeers, reconnect } = store.getState()
 * if (connection.state === 'ERROR') reconnect()
 * console.log([...peers.keys()], [...departedPeers.keys()])
 * ```
 */
export interface ConnectionStoreState extends ConnectionStoreData {
  connect(): void
  login(credentials?: unknown): Promise<void>
  send(data: unknown): Promise<void>
  reconnect(): void
  close(): void
  /**
   * Ends the store: detaches from the source, clears every timer and closes the connection.
   * The state then stays where the source ended; `mount()` no longer attaches.
   */
  destroy(): void
}

/** Events of a store, for `useConnectionEvent`. */
export interface ConnectionStoreEvents {
  stateChange: (state: ConnectionState, reason: ConnectionReason) => void
  lost: () => void
  restored: () => void
  /** The connection ended in ERROR. */
  failed: (reason: ConnectionReason, error: ConnectionError | null) => void
  /**
   * Messages addressed to this client were lost for good (linklight's client only): `count`
   * of them, or `null` when the server cannot tell. Reload what they would have told.
   */
  missed: (info: { count: number | null }) => void
}

/**
 * A zustand `StoreApi` over a connection, plus its events, its mounts, its clock and its tones.
 *
 * @example
 * ```ts
 * const store = createConnectionStore(client)
 * const off = store.on('failed', (reason) => console.warn('connection failed:', reason))
 * store.subscribe((s) => console.log(s.display.tone))
 * ```
 */
export type ConnectionStore = StoreApi<ConnectionStoreState> & {
  on<K extends keyof ConnectionStoreEvents>(event: K, handler: ConnectionStoreEvents[K]): () => void
  /**
   * Counts one more user of the store. The first attaches it to its source: it reads the
   * snapshot and the peers again, then follows them. Pair every call with one `unmount()`.
   * `ConnectionProvider` mounts its store for as long as it is mounted; a store from
   * `createConnectionStore` starts mounted once, for its creator.
   *
   * @example
   * ```ts
   * useEffect(() => {
   *   store.mount()
   *   return () => store.unmount()
   * }, [store])
   * ```
   */
  mount(): void
  /**
   * Ends one `mount()`. When the last one ends and no other starts within the current task,
   * the store detaches from its source: it keeps its state, and follows the source again on the
   * next `mount()`. The store a `ConnectionProvider` makes from a `source` is destroyed instead.
   *
   * @example
   * ```ts
   * const store = createConnectionStore(client) // mounted once, for you
   * store.unmount() // quiet until the next store.mount()
   * ```
   */
  unmount(): void
  /** The clock the store runs on: its `clock` option, else the real one. */
  readonly clock: Clock
  /** Its `tones` option: `toneFor(state, store.tones)` is the tone it shows for `state`. */
  readonly tones: ToneOverrides
}
