import { useEffect, useState, type ReactNode } from 'react'
import type { ConnectionSource } from '../core/types.js'
import {
  lazyStore,
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
export function ConnectionProvider({ store, source, options, children }: ConnectionProviderProps) {
  const [owned] = useState(() => {
    if (store) return null
    if (!source) throw new TypeError('ConnectionProvider: pass a store={…} or a source={…}')
    return lazyStore(source, options)
  })
  // Listening while mounted keeps the store's events flowing even when no hook reads it; once
  // nothing listens (a real unmount, not StrictMode's trial one) the store destroys itself.
  useEffect(() => owned?.subscribe(() => {}), [owned])
  return <ConnectionContext.Provider value={store ?? owned}>{children}</ConnectionContext.Provider>
}
