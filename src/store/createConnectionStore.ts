/**
 * `createConnectionStore`: a zustand vanilla store over any `ConnectionSource`. It holds
 * the snapshot, the peers (applied in one batch per tick), and the smoothed display.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { createEmitter } from '../core/emitter.js'
import { realClock } from '../core/clock.js'
import { toneOf, type ConnectionReason, type ConnectionState, type Tone } from '../core/states.js'
import type { ConnectionError, ConnectionSnapshot, ConnectionSource } from '../core/types.js'
import type { DisplayStatus } from './display.js'
import type { Peer } from '../core/peers.js'
import { peerLists, type PeerLists } from './peerLists.js'
import { checkStoreOptions, type ConnectionStoreOptions } from './storeOptions.js'

export type { ConnectionStoreOptions }

/** What a store holds, without its actions: all a hook reads. */
export interface ConnectionStoreData extends PeerLists {
  readonly connection: ConnectionSnapshot
  /** `true` while the connection is not OPEN: the peers are what was last known. */
  readonly peersStale: boolean
  /** What an indicator shows: the smoothed status. */
  readonly display: DisplayStatus
}

/** The state of a connection store. */
export interface ConnectionStoreState extends ConnectionStoreData {
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
  /**
   * Messages addressed to this client were lost for good (linklight's client only): `count`
   * of them, or `null` when the server cannot tell. Reload what they would have told.
   */
  missed: (info: { count: number | null }) => void
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
  const store = lazyStore(source, options)
  // Listening from the start, and until `destroy()`.
  store.subscribe(() => {})
  return store
}

/**
 * The store behind `createConnectionStore` and `ConnectionProvider`. It listens to its source
 * only while it has subscribers, so a store React creates twice in StrictMode and throws one
 * away costs nothing; and it destroys itself when its last subscriber leaves and none comes
 * back within the tick (StrictMode's remount does), so a provider's store goes with it.
 */
export function lazyStore(
  source: ConnectionSource,
  options?: ConnectionStoreOptions,
): ConnectionStore {
  checkStoreOptions(source, options)
  const {
    enterDelay = 1000,
    minVisible = 1500,
    offlinePeers = 100,
    tones,
    clock = realClock,
  } = options ?? {}
  const toneFor = (state: ConnectionState) => tones?.[state] ?? toneOf(state)
  const { on, emit } = createEmitter<ConnectionStoreEvents>((error) =>
    console.error('linklight:', error),
  )

  // The raw status: its state, its tone and since when it has had that tone.
  let state: ConnectionState
  let tone: Tone
  let toneSince: number
  let timer: unknown
  let destroyLater: ReturnType<typeof setTimeout> | undefined
  let detach: (() => void)[] = []
  let destroyed = false
  const subscriptions = new Set<() => void>()

  const raw = (connection: ConnectionSnapshot) => {
    state = connection.state
    const next = toneFor(state)
    if (next !== tone) {
      tone = next
      toneSince = clock.now()
    }
    return { connection, peersStale: state !== 'OPEN' }
  }

  // What to show now. While a change is held back, one timer looks again when it may show.
  const shown = (): DisplayStatus => {
    clock.clearTimeout(timer)
    const display = get().display
    const now = clock.now()
    if (tone === display.tone) return state === display.state ? display : { ...display, state }
    // Red shows at once, and so does everything once destroyed: the store shows where the
    // source ended. A dip from green shows once it has lasted `enterDelay`; amber or red, once
    // shown, stay `minVisible`.
    const at =
      destroyed || tone === 'bad'
        ? now
        : display.tone === 'good'
          ? toneSince + enterDelay
          : display.since + minVisible
    if (now >= at) return { state, tone, since: now }
    timer = clock.setTimeout(() => {
      const next = shown()
      if (next !== get().display) set({ display: next })
    }, at - now)
    return display
  }

  const update = (connection: ConnectionSnapshot) => set({ ...raw(connection), display: shown() })

  const initial = () => ({
    ...raw(source.getSnapshot()),
    ...peerLists(new Map(source.getPeers())),
    // The first status shows as it is: nothing was shown before it to smooth.
    display: { state, tone, since: -Infinity },
  })

  // Peer events wait for the end of the tick and land in the store as one update.
  let batch: Map<string, Peer> | undefined
  const flushPeers = () => {
    if (!batch) return
    // At most `offlinePeers` that left are kept: the oldest departures go first.
    const gone = [...batch.values()].filter((peer) => !peer.online)
    for (const peer of gone.slice(0, gone.length - offlinePeers)) batch.delete(peer.id)
    const before = get()
    const after = peerLists(batch, before)
    batch = undefined
    if (after.peerList !== before.peerList) set(after)
  }
  const onPeer = (left?: boolean) => (peer: Peer) => {
    if (!batch) {
      batch = new Map(get().peers)
      queueMicrotask(flushPeers)
    }
    // A peer that left moves to the end, behind the earlier departures.
    if (left) batch.delete(peer.id)
    batch.set(peer.id, peer)
  }

  const release = () => {
    batch = undefined
    detach.forEach((off) => off())
    detach = []
    clock.clearTimeout(timer)
  }

  const destroy = () => {
    if (destroyed) return
    destroyed = true
    release()
    source.close()
    update(source.getSnapshot())
  }

  const store = createStore<ConnectionStoreState>()(() => ({
    ...initial(),
    connect: () => source.connect(),
    login: (credentials) => source.login(credentials),
    send: (data) => source.send(data),
    reconnect: () => source.reconnect(),
    close: () => source.close(),
    destroy,
  })) as ConnectionStore
  const { getState: get, setState: set, subscribe } = store
  store.on = on

  store.subscribe = (listener) => {
    const off = subscribe(listener)
    const unsubscribe = () => {
      if (!subscriptions.delete(unsubscribe)) return
      off()
      if (subscriptions.size || destroyed) return
      release()
      destroyLater = setTimeout(destroy)
    }
    clearTimeout(destroyLater)
    if (subscriptions.add(unsubscribe).size === 1 && !destroyed) {
      set(initial())
      detach = [
        source.subscribe((connection) => {
          const before = get().connection
          if (connection === before) return
          update(connection)
          const { state, reason } = connection
          if (state !== before.state && reason) {
            emit('stateChange', state, reason)
            if (state === 'ERROR') emit('failed', reason, connection.error)
          }
        }),
        source.on('peerJoined', onPeer()),
        source.on('peerUpdated', onPeer()),
        source.on('peerLeft', onPeer(true)),
        source.on('lost', () => emit('lost')),
        source.on('restored', () => emit('restored')),
        source.on('missed', (info) => emit('missed', info)),
      ]
    }
    return unsubscribe
  }
  return store
}
