/**
 * `createConnectionStore`: a zustand vanilla store over any `ConnectionSource` (§5). It holds
 * the snapshot, the peers (applied in one batch per tick), and the smoothed display (§6).
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createEmitter } from '../core/emitter.js'
import type { Peer } from '../core/peers.js'
import type { ConnectionReason, ConnectionState } from '../core/states.js'
import type { ConnectionError, ConnectionSnapshot, ConnectionSource } from '../core/types.js'
import { nextDisplay, type DisplayStatus, type RawStatus } from './display.js'
import { applyPeerChanges, peerListsOf, type PeerChange } from './peerLists.js'
import { checkSource, resolveStoreOptions, type ConnectionStoreOptions } from './storeOptions.js'

export type { ConnectionStoreOptions }

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
  options: ConnectionStoreOptions | undefined,
  lazy: boolean,
): ConnectionStore {
  checkSource(source)
  const {
    enterDelay,
    minVisible,
    offlinePeers: keepOffline,
    clock,
    toneFor,
  } = resolveStoreOptions(options)
  const events = createEmitter<ConnectionStoreEvents>((error) => console.error('linklight:', error))

  let raw: RawStatus
  let recheck: unknown = null
  let pending: PeerChange[] = []
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
    return {
      connection,
      ...peerListsOf(new Map(source.getPeers())),
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
      // Detached by now: show where the source ended, as it is, with no smoothing left to run.
      const connection = source.getSnapshot()
      const { display } = store.getState()
      const tone = toneFor(connection.state)
      store.setState({
        connection,
        peersStale: connection.state !== 'OPEN',
        ...((display.state !== connection.state || display.tone !== tone) && {
          display: { state: connection.state, tone, since: clock.now() },
        }),
      })
    },
  })) as ConnectionStore
  store.on = events.on

  // What to show now; arms the one timer that looks again when a change is being held back.
  function smoothed(): DisplayStatus {
    stopSmoothing()
    const shown = store.getState().display
    const { display, recheckAt } = nextDisplay(shown, raw, clock.now(), { enterDelay, minVisible })
    if (recheckAt !== null)
      recheck = clock.setTimeout(
        () => {
          recheck = null
          const next = smoothed()
          if (next !== store.getState().display) store.setState({ display: next })
        },
        Math.max(0, recheckAt - clock.now()),
      )
    return display
  }

  function stopSmoothing() {
    if (recheck !== null) clock.clearTimeout(recheck)
    recheck = null
  }

  function onSnapshot(connection: ConnectionSnapshot) {
    const previous = store.getState().connection
    if (connection === previous) return
    const tone = toneFor(connection.state)
    raw = tone === raw.tone ? { ...raw, state: connection.state } : rawOf(connection, clock.now())
    store.setState({
      connection,
      peersStale: connection.state !== 'OPEN',
      display: smoothed(),
    })
    if (connection.state !== previous.state && connection.reason) {
      events.emit('stateChange', connection.state, connection.reason)
      if (connection.state === 'ERROR') events.emit('failed', connection.reason, connection.error)
    }
  }

  // Peer events wait for the end of the tick and land in the store as one update.
  function queuePeer(change: PeerChange) {
    pending.push(change)
    if (pending.length === 1) queueMicrotask(flushPeers)
  }

  function flushPeers() {
    const batch = pending
    pending = []
    if (!batch.length || destroyed) return
    const lists = applyPeerChanges(store.getState(), batch, keepOffline)
    if (lists) store.setState(lists)
  }

  function attach() {
    store.setState(initial())
    const offs = [
      source.subscribe(onSnapshot),
      source.on('peerJoined', (peer) => queuePeer({ kind: 'set', peer })),
      source.on('peerUpdated', (peer) => queuePeer({ kind: 'set', peer })),
      source.on('peerLeft', (peer) => queuePeer({ kind: 'left', peer })),
      source.on('lost', () => events.emit('lost')),
      source.on('restored', () => events.emit('restored')),
    ]
    detach = () => offs.forEach((off) => off())
  }

  function release() {
    detach?.()
    detach = null
    stopSmoothing()
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
