import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { ConnectionSource } from '../core/types.js'
import {
  storeOver,
  type ConnectionStore,
  type ConnectionStoreOptions,
} from '../store/createConnectionStore.js'
import { ConnectionContext } from './context.js'

/** Props of {@link ConnectionProvider}: a store you own, or a source it wraps in a store of its own. */
export type ConnectionProviderProps = { children?: ReactNode } & (
  | { store: ConnectionStore; source?: undefined; options?: undefined }
  | { source: ConnectionSource; options?: ConnectionStoreOptions; store?: undefined }
)

/**
 * Makes a connection store available to the hooks below it. With `source`, it creates the
 * store itself, keeps it listening to the source while mounted, and destroys it (closing the
 * source) when it unmounts for good — StrictMode's trial unmount does not count, so there is
 * one connection, not two. Pass a stable `source`;
 * to switch to another, give the provider a new `key`.
 *
 * @example
 * ```tsx
 * const client = createClient('wss://example.com/realtime')
 * root.render(
 *   <ConnectionProvider source={client}>
 *     <ConnectionIndicator />
 *   </ConnectionProvider>,
 * )
 * ```
 */
export function ConnectionProvider(props: ConnectionProviderProps) {
  const { store: given, source, options } = props
  const [owned] = useState(() => {
    if (given) return null
    if (!source) throw new TypeError('ConnectionProvider: pass a store={…} or a source={…}')
    return storeOver(source, options, true)
  })
  const destroyLater = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  useEffect(() => {
    if (!owned) return
    clearTimeout(destroyLater.current)
    // Listening while mounted keeps the store's events flowing even when no hook reads it.
    const stopListening = owned.subscribe(() => {})
    // StrictMode unmounts and remounts at once; a real unmount leaves nothing to cancel this.
    return () => {
      stopListening()
      destroyLater.current = setTimeout(() => owned.getState().destroy(), 0)
    }
  }, [owned])
  return (
    <ConnectionContext.Provider value={given ?? owned}>{props.children}</ConnectionContext.Provider>
  )
}
