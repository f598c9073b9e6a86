import { useRef, useSyncExternalStore } from 'react'
import type { ConnectionStore, ConnectionStoreState } from '../store/createConnectionStore.js'
import { serverState } from './serverState.js'

type Cache<T> = { state: ConnectionStoreState; selector: unknown; value: T }

/**
 * Reads a slice of a store and re-renders only when that slice changes (by `equalityFn`,
 * `Object.is` by default). On the server, and while hydrating, it reads a CLOSED store.
 */
export function useStoreSelector<T>(
  store: ConnectionStore,
  selector: (state: ConnectionStoreState) => T,
  equalityFn: (a: T, b: T) => boolean = Object.is,
): T {
  const client = useRef<Cache<T> | null>(null)
  const server = useRef<Cache<T> | null>(null)
  // The documented exception to "no refs in render": React calls these snapshot functions
  // while rendering, and they keep the last value per store state and selector. The same state
  // read by the same selector gives the same value; a value equal (by `equalityFn`) to the last
  // one is the last one, so React sees no change and does not render. Nothing else reads the
  // cache, so a discarded render can at worst leave in it a value equal to the one shown.
  const read = (cache: { current: Cache<T> | null }, state: ConnectionStoreState) => {
    const last = cache.current
    if (last && last.state === state && last.selector === selector) return last.value
    const next = selector(state)
    const value = last && equalityFn(last.value, next) ? last.value : next
    cache.current = { state, selector, value }
    return value
  }
  return useSyncExternalStore(
    store.subscribe,
    () => read(client, store.getState()),
    () => read(server, serverState),
  )
}
