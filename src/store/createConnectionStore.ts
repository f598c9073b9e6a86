/**
 * `createConnectionStore`: a zustand vanilla store over any `ConnectionSource` (§5). It holds
 * the snapshot, the peers (applied in one batch per tick), and the smoothed display (§6).
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createEmitter } from '../core/emitter.js'
import { realClock, type Clock } from '../core/options.js'
import type { Peer } from '../core/peers.js'
import { toneOf, type ConnectionReason, type ConnectionState, type Tone } from '../core/states.js'
import type { ConnectionError, ConnectionSnapshot, ConnectionSource } from '../core/types.js'
import { nextDisplay, type DisplayStatus, type RawStatus } from './display.js'

/** Options of {@link createConnectionStore}. */
export interface ConnectionStoreOptions {
  /** A change away from green shows only after this long (default 1000 ms). */
  enterDelay?: number | undefined
  /** Amber or red, once shown, stays at least this long (default 1500 ms). */
  minVisible?: number | undefined
  /** Remaps the tone of some states (default: `toneOf`). */
  tones?: Partial<Record<ConnectionState, Tone>> | undefined
  /** Peers that left and are still kept (for `usePeers({ includeOffline: true })`; default 100). */
  offlinePeers?: number | undefined
  /** Timers and time for the smoothing (default: the real ones). */
  clock?: Clock | undefined
}

/** The state of a connection store. */
export interface ConnectionStoreState {
  readonly connection: ConnectionSnapshot
  /** Every known peer by id: online ones, and the last few that left (`online: false`). */
  readonly peers: ReadonlyMap<string, Peer>
  /** `peers` as an array; a new array only when a peer changed. */
  readonly peerList: readonly Peer[]
  /** The online ones among `peerList`; a new array only when one of them changed. */
  readonly onlinePeers: readonly Peer[]
  /** `true` while the connection is not OPEN: the peers are what was last known. */
  readonly peersStale: boolean
  /** What an indicator shows: the smoothed status. */
  readonly display: DisplayStatus
  connect(): void
  login(credentials?: unknown): Promise<void>
  send(data: unknown): Promise<void>
  reconnect(): void
  close(): void
  /** Detaches from the source, clears every timer and closes the connection. */
  destroy(): void
}

/** Events of a store, for `useConnectionEvent`. */
export interface ConnectionStoreEvents {
  stateChange: (state: ConnectionState, reason: ConnectionReason) => void
  lost: () => void
  restored: () => void
  /** The connection ended in ERROR. */
  failed: (reason: ConnectionReason, error: ConnectionError | null) => void
}

/** A zustand `StoreApi` over a connection, plus its events. */
export type ConnectionStore = StoreApi<ConnectionStoreState> & {
  on<K extends keyof ConnectionStoreEvents>(event: K, handler: ConnectionStoreEvents[K]): () => void
}

const count = (value: unknown, name: string) => {
  if (value !== undefined && !(typeof value === 'number' && value >= 0 && value !== Infinity))
    throw new TypeError(
      `createConnectionStore: ${name} must be a non-negative number (got ${String(value)})`,
    )
  return value
}

const onlineOf = (list: readonly Peer[]) => list.filter((peer) => peer.online)

/**
 * Creates a store over a connection source: linklight's client, an adapter, or a mock.
 *
 * @example
 * ```ts
 * const store = createConnectionStore(createClient(url))
 * store.subscribe((s) => console.log(s.display.tone, s.peerList.length))
 * ```
 */
export function createConnectionStore(
  source: ConnectionSource,
  options?: ConnectionStoreOptions,
): ConnectionStore {
  return storeOver(source, options, false)
}

/**
 * The store behind `createConnectionStore`. A `lazy` store (the provider's) listens to its
 * source only while it has subscribers, so a store React creates twice in StrictMode and
 * throws away costs nothing.
 */
export function storeOver(
  source: ConnectionSource,
  options: ConnectionStoreOptions = {},
  lazy: boolean,
): ConnectionStore {
  const enterDelay = count(options.enterDelay, 'enterDelay') ?? 1000
  const minVisible = count(options.minVisible, 'minVisible') ?? 1500
  const keepOffline = count(options.offlinePeers, 'offlinePeers') ?? 100
  const clock = options.clock ?? realClock
  const toneFor = (state: ConnectionState) => options.tones?.[state] ?? toneOf(state)
  const events = createEmitter<ConnectionStoreEvents>((error) => console.error('linklight:', error))

  let raw: RawStatus
  let recheck: { at: number; handle: unknown } | null = null
  let pending: Array<(peers: Map<string, Peer>) => void> = []
  let flushQueued = false
  let detach: (() => void) | null = null
  let destroyed = false

  const rawOf = (snapshot: ConnectionSnapshot, since: number): RawStatus => ({
    state: snapshot.state,
    tone: toneFor(snapshot.state),
    toneSince: since,
  })

  function initial(): Omit<
    ConnectionStoreState,
    'connect' | 'login' | 'send' | 'reconnect' | 'close' | 'destroy'
  > {
    const connection = source.getSnapshot()
    raw = rawOf(connection, clock.now())
    const peers = new Map(source.getPeers())
    const peerList = [...peers.values()]
    return {
      connection,
      peers,
      peerList,
      onlinePeers: onlineOf(peerList),
      peersStale: connection.state !== 'OPEN',
      // The first status shows as it is: nothing was shown before it to smooth.
      display: { state: raw.state, tone: raw.tone, since: -Infinity },
    }
  }

  const store = createStore<ConnectionStoreState>()(() => ({
    ...initial(),
    connect: () => source.connect(),
    login: (credentials) => source.login(credentials),
    send: (data) => source.send(data),
    reconnect: () => source.reconnect(),
    close: () => source.close(),
    destroy() {
      if (destroyed) return
      destroyed = true
      release()
      source.close()
    },
  })) as ConnectionStore
  store.on = events.on

  function smooth() {
    if (recheck) clock.clearTimeout(recheck.handle)
    recheck = null
    const { display, recheckAt } = nextDisplay(store.getState().display, raw, clock.now(), {
      enterDelay,
      minVisible,
    })
    if (display !== store.getState().display) store.setState({ display })
    if (recheckAt !== null)
      recheck = {
        at: recheckAt,
        handle: clock.setTimeout(smooth, Math.max(0, recheckAt - clock.now())),
      }
  }

  function onSnapshot(connection: ConnectionSnapshot) {
    const previous = store.getState().connection
    if (connection === previous) return
    const tone = toneFor(connection.state)
    if (tone !== raw.tone) raw = rawOf(connection, clock.now())
    else raw = { ...raw, state: connection.state }
    store.setState({ connection, peersStale: connection.state !== 'OPEN' })
    smooth()
    if (connection.state !== previous.state && connection.reason) {
      events.emit('stateChange', connection.state, connection.reason)
      if (connection.state === 'ERROR') events.emit('failed', connection.reason, connection.error)
    }
  }

  // Peer events wait for the end of the tick and land in the store as one update.
  function queuePeer(change: (peers: Map<string, Peer>) => void) {
    pending.push(change)
    if (!flushQueued) {
      flushQueued = true
      queueMicrotask(flushPeers)
    }
  }

  function flushPeers() {
    flushQueued = false
    if (!pending.length || destroyed) return
    const batch = pending
    pending = []
    const peers = new Map(store.getState().peers)
    for (const change of batch) change(peers)
    const offline = [...peers.values()].filter((p) => !p.online)
    for (const gone of offline.slice(0, Math.max(0, offline.length - keepOffline)))
      peers.delete(gone.id)
    const peerList = [...peers.values()]
    store.setState({ peers, peerList, onlinePeers: onlineOf(peerList) })
  }

  function attach() {
    store.setState(initial())
    const offs = [
      source.subscribe(onSnapshot),
      source.on('peerJoined', (peer) => queuePeer((map) => void map.set(peer.id, peer))),
      source.on('peerUpdated', (peer) => queuePeer((map) => void map.set(peer.id, peer))),
      source.on('peerLeft', (peer) =>
        queuePeer((map) => {
          // a peer that left goes to the end: the oldest departures are forgotten first
          map.delete(peer.id)
          map.set(peer.id, peer)
        }),
      ),
      source.on('lost', () => events.emit('lost')),
      source.on('restored', () => events.emit('restored')),
    ]
    detach = () => offs.forEach((off) => off())
  }

  function release() {
    detach?.()
    detach = null
    if (recheck) clock.clearTimeout(recheck.handle)
    recheck = null
    pending = []
  }

  if (lazy) {
    let subscribers = 0
    const subscribe = store.subscribe
    store.subscribe = (listener) => {
      const off = subscribe(listener)
      if (++subscribers === 1 && !destroyed) attach()
      let done = false
      return () => {
        if (done) return
        done = true
        off()
        if (--subscribers === 0) release()
      }
    }
  } else {
    attach()
  }
  return store
}
