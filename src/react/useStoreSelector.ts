import { unknownQuality } from '../core/quality.js'
import { useSyncExternalStore } from 'react'
import type { ConnectionSnapshot } from '../core/types.js'
import type { ConnectionStore, ConnectionStoreData } from '../store/createConnectionStore.js'
import { toneFor } from '../store/tones.js'
import { useResolvedStore } from './context.js'

// Frozen: every server render shares them, and they reach user code (`useConnection`, `usePeers`).
const closed: ConnectionSnapshot = Object.freeze({
  state: 'CLOSED',
  previousState: null,
  reason: null,
  phase: 'DISCONNECTED',
  tone: 'neutral',
  since: 0,
  attempt: 0,
  nextRetryAt: null,
  retrying: false,
  lost: false,
  queued: 0,
  error: null,
})
const none = Object.freeze([])

/**
 * What every hook reads on the server and while hydrating: a connection that is CLOSED, with
 * no peers, shown in the tone the store's `tones` give CLOSED. Server and first client render
 * agree, whatever the live connection is doing.
 */
const serverStates = new WeakMap<ConnectionStore, ConnectionStoreData>()
function serverStateOf(store: ConnectionStore): ConnectionStoreData {
  let state = serverStates.get(store)
  if (!state) {
    const display = { state: closed.state, tone: toneFor(closed.state, store.tones), since: 0 }
    state = {
      connection: closed,
      peers: new Map(),
      peerList: none,
      departedPeers: new Map(),
      peersStale: true,
      display: Object.freeze(display),
      history: none,
      quality: unknownQuality,
    }
    serverStates.set(store, state)
  }
  return state
}

/**
 * Reads a slice of the store (`explicit`, else the provider's) and re-renders only when it
 * changes. The selector must return a value the store holds (or a primitive): the same state
 * must give the same value. On the server, and while hydrating, it reads a CLOSED store.
 */
export const useStoreSelector = <T>(
  explicit: ConnectionStore | undefined,
  selector: (state: ConnectionStoreData) => T,
): T => {
  const store = useResolvedStore(explicit)
  return useSyncExternalStore(
    store.subscribe,
    () => selector(store.getState()),
    () => selector(serverStateOf(store)),
  )
}
