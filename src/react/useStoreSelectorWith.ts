import { useRef } from 'react'
import type { ConnectionStore, ConnectionStoreData } from '../store/createConnectionStore.js'
import { useStoreSelector } from './useStoreSelector.js'

/**
 * {@link useStoreSelector} for a selector that may build a new value every time: a value equal
 * (by `equalityFn`, `Object.is` by default) to the last one is the last one.
 */
export function useStoreSelectorWith<T>(
  explicit: ConnectionStore | undefined,
  selector: (state: ConnectionStoreData) => T,
  equalityFn: (a: T, b: T) => boolean = Object.is,
): T {
  const cache = useRef<[state: ConnectionStoreData, selector: unknown, value: T]>(undefined)
  // The documented exception to "no refs in render": React calls the snapshot functions while
  // rendering, and this keeps the last value per store state and selector. The same state read
  // by the same selector gives the same value; a value equal (by `equalityFn`) to the last one
  // is the last one, so React sees no change and does not render. Nothing else reads the
  // cache, so a discarded render can at worst leave in it a value equal to the one shown.
  return useStoreSelector(explicit, (state) => {
    const last = cache.current
    if (last && last[0] === state && last[1] === selector) return last[2]
    const next = selector(state)
    const value = last && equalityFn(last[2], next) ? last[2] : next
    cache.current = [state, selector, value]
    return value
  })
}
