import type { ConnectionStore, ConnectionStoreData } from '../store/createConnectionStore.js'
import { useResolvedStore } from './context.js'
import { useStoreSelectorWith } from './useStoreSelectorWith.js'

// What the store-only form selects: always the same value, so it never renders for the store.
const nothing = (): unknown => null

/**
 * The store itself (the provider's, or the one passed), for its actions and events.
 *
 * @example
 * ```tsx
 * const store = useConnectionStore()
 * return <button onClick={() => store.getState().reconnect()}>Retry now</button>
 * ```
 */
export function useConnectionStore(store?: ConnectionStore): ConnectionStore
/**
 * Any field of the store's state, or anything built from it; renders only when the selected
 * value changes (by `equalityFn`, `Object.is` by default). On the server, and while hydrating,
 * it reads a CLOSED store with no peers.
 *
 * @example
 * ```tsx
 * const stale = useConnectionStore((s) => s.peersStale)
 * const shown = useConnectionStore(
 *   (s) => ({ state: s.display.state, online: s.peerList.length }),
 *   (a, b) => a.state === b.state && a.online === b.online,
 * )
 * ```
 */
export function useConnectionStore<T>(
  selector: (state: ConnectionStoreData) => T,
  equalityFn?: (a: T, b: T) => boolean,
  store?: ConnectionStore,
): T
export function useConnectionStore<T>(
  selectorOrStore?: ((state: ConnectionStoreData) => T) | ConnectionStore,
  equalityFn?: (a: T, b: T) => boolean,
  explicit?: ConnectionStore,
): T | ConnectionStore {
  const selector = typeof selectorOrStore === 'function' ? selectorOrStore : undefined
  const store = useResolvedStore(selector ? explicit : (selectorOrStore as ConnectionStore))
  const selected = useStoreSelectorWith(store, selector ?? (nothing as () => T), equalityFn)
  return selector ? selected : store
}
