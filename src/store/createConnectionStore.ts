/**
 * `createConnectionStore`: a zustand vanilla store over any `ConnectionSource`. It holds the
 * snapshot, the peers (applied in one batch per tick) and the smoothed display, and follows its
 * source while it is mounted.
 */
import { createStore, type StoreApi } from 'zustand/vanilla'
import { realClock, type Clock } from '../core/clock.js'
import { createEmitter } from '../core/emitter.js'
import type { ConnectionReason, ConnectionState } from '../core/states.js'
import type { ConnectionError, ConnectionSnapshot, ConnectionSource } from '../core/types.js'
import type { DisplayStatus } from './display.js'
import { nextDisplay, type SmoothingOptions } from './nextDisplay.js'
import { createPeerBatch } from './peerBatch.js'
import { peerLists, type PeerLists } from './peerLists.js'
import { checkStoreOptions, type ConnectionStoreOptions } from './storeOptions.js'
import { toneFor, type ToneOverrides } from './tones.js'

export type { ConnectionStoreOptions }

/**
 * How long a store waits after its last `unmount()` before it lets go of its source (ms): to
 * the end of the current task. React ends one mount and starts the next within one commit
 * (StrictMode's trial unmount, a provider moved under a new `key`, Fast Refresh), so a mount
 * that follows at once finds the store as it was, and nothing is torn down and built again.
 */
const UNMOUNT_GRACE = 0

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

function buildStore(
  source: ConnectionSource,
  options: ConnectionStoreOptions | undefined,
  afterLastUnmount: 'detach' | 'destroy',
): ConnectionStore {
  checkStoreOptions(source, options)
  const { enterDelay, minVisible, offlinePeers = 100, tones, clock = realClock } = options ?? {}
  const timing: SmoothingOptions = { enterDelay, minVisible }
  const ownTones: ToneOverrides = Object.freeze({ ...tones })
  const { on, emit } = createEmitter<ConnectionStoreEvents>((error) =>
    console.error('linklight:', error),
  )

  // The source's status: its state, its tone, and since when it has had that tone.
  const first = source.getSnapshot()
  let raw: DisplayStatus = {
    state: first.state,
    tone: toneFor(first.state, ownTones),
    since: clock.now(),
  }
  const follow = (connection: ConnectionSnapshot) => {
    const { state } = connection
    const tone = toneFor(state, ownTones)
    if (tone !== raw.tone) raw = { state, tone, since: clock.now() }
    else if (state !== raw.state) raw = { ...raw, state }
    return { connection, peersStale: state !== 'OPEN' }
  }
  // Nothing was shown before it to smooth: the status shows as it is.
  const unsmoothed = (): DisplayStatus => ({ ...raw, since: -Infinity })

  let recheck: unknown
  let detachers: (() => void)[] = []
  let mounts = 0
  let letGo: unknown
  let destroyed = false

  const store = createStore<ConnectionStoreState>()(() => ({
    ...follow(first),
    display: unsmoothed(),
    ...peerLists(new Map(source.getPeers()), new Map()),
    connect: () => source.connect(),
    login: (credentials) => source.login(credentials),
    send: (data) => source.send(data),
    reconnect: () => source.reconnect(),
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

  // What to show now. While a change is held back, one timer looks again when it may show.
  const smoothed = (display: DisplayStatus, smoothing = timing): DisplayStatus => {
    clock.clearTimeout(recheck)
    const now = clock.now()
    const next = nextDisplay(display, raw, now, smoothing)
    if (next.recheckAt !== null) recheck = clock.setTimeout(showDue, next.recheckAt - now)
    return next.display
  }
  const showDue = () => update({ display: smoothed(get().display) })

  const onSnapshot = (connection: ConnectionSnapshot) => {
    const before = get().connection
    if (connection === before) return
    const followed = follow(connection)
    set({ ...followed, display: smoothed(get().display) })
    const { state, reason } = connection
    if (state !== before.state && reason) {
      emit('stateChange', state, reason)
      if (state === 'ERROR') emit('failed', reason, connection.error)
    }
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
        ? { display: smoothed(before.display) }
        : { ...follow(connection), display: unsmoothed() }),
      ...peerLists(online, departed, before),
    })
    detachers = [
      source.subscribe(onSnapshot),
      source.on('peerJoined', peers.online),
      source.on('peerUpdated', peers.online),
      source.on('peerLeft', peers.left),
      source.on('lost', () => emit('lost')),
      source.on('restored', () => emit('restored')),
      source.on('missed', (info) => emit('missed', info)),
    ]
  }

  const detach = () => {
    peers.cancel()
    for (const off of detachers.splice(0)) off()
    clock.clearTimeout(recheck)
  }

  function destroy() {
    if (destroyed) return
    destroyed = true
    clock.clearTimeout(letGo)
    detach()
    source.close()
    // The store shows where the source ended, as it is: no smoothing holds that back.
    const followed = follow(source.getSnapshot())
    const display = smoothed(get().display, { enterDelay: 0, minVisible: 0 })
    update({ ...followed, display })
  }

  const mount = () => {
    if (destroyed) return
    clock.clearTimeout(letGo)
    if (++mounts === 1 && detachers.length === 0) attach()
  }

  const unmount = () => {
    if (destroyed || mounts === 0) return
    if (--mounts > 0) return
    letGo = clock.setTimeout(afterLastUnmount === 'destroy' ? destroy : detach, UNMOUNT_GRACE)
  }

  return Object.assign(store, { on, mount, unmount, clock, tones: ownTones })
}
