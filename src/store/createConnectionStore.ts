/**
 * `createConnectionStore`: a zustand vanilla store over any `ConnectionSource` (its types are in
 * types.ts). It holds the snapshot, its recent transitions (history.ts), the peers (applied in
 * one batch per tick, peerBatch.ts) and the smoothed display (displaySmoother.ts), and follows
 * its source while it is mounted (mountCounter.ts).
 */
import { createStore } from 'zustand/vanilla'
import { unknownQuality } from '../core/quality.js'
import { realClock } from '../core/clock.js'
import { createEmitter } from '../core/emitter.js'
import type { ConnectionSnapshot, ConnectionSource } from '../core/types.js'
import { createDisplaySmoother } from './displaySmoother.js'
import { DEFAULT_HISTORY_LIMIT, nextHistory, type ConnectionHistoryEntry } from './history.js'
import { createMountCounter } from './mountCounter.js'
import { createPeerBatch } from './peerBatch.js'
import { peerLists } from './peerLists.js'
import { checkStoreOptions, type ConnectionStoreOptions } from './storeOptions.js'
import type { ToneOverrides } from './tones.js'
import type {
  ConnectionStore,
  ConnectionStoreData,
  ConnectionStoreEvents,
  ConnectionStoreState,
} from './types.js'

// Its types live in types.ts; everything that imports them from here keeps doing so.
export type {
  ConnectionHistoryEntry,
  ConnectionStore,
  ConnectionStoreData,
  ConnectionStoreEvents,
  ConnectionStoreOptions,
  ConnectionStoreState,
}

/**
 * Creates a store over a connection source: linklight's client, an adapter, or a mock. It
 * follows the source from the start: its creator counts as one `mount()`, which ends with
 * `unmount()` or `destroy()`.
 *
 * @example
 * ```ts
 * const store = createConnectionStore(createClient(url))
 * store.subscribe((s) => console.log(s.display.tone, s.peerList.length))
 * // when the page is done with it: detach, clear the timers and close the connection
 * store.getState().destroy()
 * ```
 */
export function createConnectionStore(
  source: ConnectionSource,
  options?: ConnectionStoreOptions,
): ConnectionStore {
  const store = buildStore(source, options, 'detach')
  store.mount()
  return store
}

/**
 * The store `ConnectionProvider` makes from a `source` (internal). It is unmounted until the
 * provider mounts it, so one that React renders twice in StrictMode and throws away costs
 * nothing; when its last mount ends, it destroys itself and closes the source.
 */
export function createProviderStore(
  source: ConnectionSource,
  options?: ConnectionStoreOptions,
): ConnectionStore {
  return buildStore(source, options, 'destroy')
}

/**
 * Provider stores following each source now. A provider remounted with the same source (a new
 * `key`, a move in the tree) makes its new store before the old one's last unmount ends: the
 * old one must then let go without closing the connection the new one follows.
 */
const followers = new WeakMap<ConnectionSource, number>()

function buildStore(
  source: ConnectionSource,
  options: ConnectionStoreOptions | undefined,
  afterLastUnmount: 'detach' | 'destroy',
): ConnectionStore {
  checkStoreOptions(source, options)
  const {
    enterDelay,
    minVisible,
    offlinePeers = 100,
    historyLimit = DEFAULT_HISTORY_LIMIT,
    tones,
    clock = realClock,
  } = options ?? {}
  const ownTones: ToneOverrides = Object.freeze({ ...tones })
  const { on, emit } = createEmitter<ConnectionStoreEvents>((error) =>
    console.error('linklight:', error),
  )

  const first = source.getSnapshot()
  const display = createDisplaySmoother(
    first.state,
    clock,
    ownTones,
    { enterDelay, minVisible },
    () => update({ display: display.next(get().display) }),
  )
  /** The fields that follow the source's `connection`, after the store's `before`. */
  const follow = (connection: ConnectionSnapshot, before: ConnectionStoreData) => {
    display.follow(connection.state)
    const history = nextHistory(
      before.history,
      before.connection,
      connection,
      clock.now(),
      historyLimit,
    )
    return { connection, peersStale: connection.state !== 'OPEN', history }
  }

  let detachers: (() => void)[] = []
  let destroyed = false
  const gone = (action: string) =>
    Promise.reject(
      new Error(
        `${action}: this connection store was destroyed; create a new one (or a new <ConnectionProvider>) to connect again`,
      ),
    )

  const store = createStore<ConnectionStoreState>()(() => ({
    connection: first,
    peersStale: first.state !== 'OPEN',
    // Transitions from the moment it attaches: what the source did before is not known here.
    history: Object.freeze([]),
    quality: source.getLinkQuality?.() ?? unknownQuality,
    display: display.unsmoothed(),
    ...peerLists(new Map(source.getPeers()), new Map()),
    // After destroy() the store no longer follows its source: reopening it from here would
    // leave a connection nobody watches or closes.
    connect: () => {
      if (!destroyed) source.connect()
    },
    login: (credentials) => (destroyed ? gone('login') : source.login(credentials)),
    send: (data) => (destroyed ? gone('send') : source.send(data)),
    reconnect: () => {
      if (!destroyed) source.reconnect()
    },
    close: () => source.close(),
    destroy,
  })) as ConnectionStore
  const { getState: get, setState: set } = store

  /** Sets what differs in `patch`; nothing, and no listener called, when nothing does. */
  const update = (patch: Partial<ConnectionStoreData>) => {
    const state = get()
    const keys = Object.keys(patch) as (keyof ConnectionStoreData)[]
    if (keys.some((key) => patch[key] !== state[key])) set(patch)
  }

  // A subscriber or handler may move the source again while a change is being told: the
  // events wait in line, so everyone hears the changes in the order they happened.
  const told: (() => void)[] = []
  let telling = 0

  const onSnapshot = (connection: ConnectionSnapshot) => {
    const before = get()
    if (connection === before.connection) return
    const { state, reason } = connection
    if (state !== before.connection.state && reason) {
      told.push(() => emit('stateChange', state, reason))
      if (state === 'ERROR') told.push(() => emit('failed', reason, connection.error))
    }
    telling++
    try {
      // One update: the history changes with `connection`, never on its own.
      set({ ...follow(connection, before), display: display.next(before.display) })
    } finally {
      telling--
    }
    if (telling === 0) for (let next; (next = told.shift());) next()
  }

  const peers = createPeerBatch(get, set, offlinePeers)

  const attach = () => {
    // The source may have moved on while nothing listened: read it again.
    const before = get()
    const connection = source.getSnapshot()
    const online = new Map(source.getPeers())
    const departed = new Map([...before.departedPeers].filter(([id]) => !online.has(id)))
    update({
      ...(connection === before.connection
        ? { display: display.next(before.display) }
        : { ...follow(connection, before), display: display.unsmoothed() }),
      ...peerLists(online, departed, before),
      quality: source.getLinkQuality?.() ?? unknownQuality,
    })
    detachers = [
      source.subscribe(onSnapshot),
      source.on('peerJoined', peers.online),
      source.on('peerUpdated', peers.online),
      source.on('peerLeft', peers.left),
      source.on('lost', () => emit('lost')),
      source.on('restored', () => emit('restored')),
      source.on('missed', (info) => emit('missed', info)),
      source.on('quality', (quality) => update({ quality })),
    ]
  }

  const detach = () => {
    peers.cancel()
    for (const off of detachers.splice(0)) off()
    display.cancel()
  }

  const owning = afterLastUnmount === 'destroy'
  let following = false
  const mounts = createMountCounter(
    clock,
    () => {
      if (owning && !following) {
        following = true
        followers.set(source, (followers.get(source) ?? 0) + 1)
      }
      // A mount within the grace after the last unmount finds the store still attached.
      if (detachers.length === 0) attach()
    },
    owning ? destroy : detach,
  )

  /** Whether no other provider store follows the source once this one stops. */
  function lastToFollow() {
    if (!following) return true
    following = false
    const others = followers.get(source)! - 1
    followers.set(source, others)
    return others === 0
  }

  function destroy() {
    if (destroyed) return
    destroyed = true
    mounts.stop()
    detach()
    if (lastToFollow()) source.close()
    // The store shows where the source ended, as it is: no smoothing holds that back.
    const before = get()
    update({
      ...follow(source.getSnapshot(), before),
      display: display.next(before.display, { enterDelay: 0, minVisible: 0 }),
    })
  }

  return Object.assign(store, {
    on,
    mount: mounts.mount,
    unmount: mounts.unmount,
    clock,
    tones: ownTones,
  })
}
