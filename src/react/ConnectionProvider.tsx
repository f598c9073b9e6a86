import { useEffect, useInsertionEffect, useState, type ReactNode } from 'react'
import type { ConnectionSource } from '../core/types.js'
import {
  createProviderStore,
  type ConnectionStore,
  type ConnectionStoreOptions,
} from '../store/createConnectionStore.js'
import { ConnectionContext } from './context.js'

/** Mounts `store` until the effect that calls this ends. */
const mountUntilCleanup = (store: ConnectionStore | null) => {
  if (!store) return
  store.mount()
  return () => store.unmount()
}

/**
 * Props of {@link ConnectionProvider}: a store you own, or a source it wraps in a store of its own.
 *
 * @example
 * ```tsx
 * <ConnectionProvider store={store}>…</ConnectionProvider>
 * <ConnectionProvider source={client} options={{ enterDelay: 500 }}>…</ConnectionProvider>
 * ```
 */
export type ConnectionProviderProps = { children?: ReactNode } & (
  | { store: ConnectionStore; source?: undefined; options?: undefined }
  | { source: ConnectionSource; options?: ConnectionStoreOptions; store?: undefined }
)

/**
 * Makes a connection store available to the hooks below it, and mounts it (`store.mount()`)
 * for as long as the provider is mounted.
 *
 * With `source`, the provider owns the store it creates: it follows the source from the
 * provider's first commit and is destroyed, closing the source, when the provider unmounts for
 * good. Neither StrictMode's trial unmount nor an `<Activity mode="hidden">` around the
 * provider counts, so there is one connection, kept while hidden. Pass a stable `source`; to
 * switch to another, give the provider a new `key`. A provider remounted with the same source
 * (a new `key`, a move in the tree) keeps its connection: the source is closed only when no
 * provider follows it any more.
 *
 * With `store`, the store is yours: unmounting the provider ends its mount, not the store.
 *
 * @example
 * ```tsx
 * const client = createClient('wss://example.com/realtime')
 * root.render(
 *   <ConnectionProvider source={client} options={{ tones: { RECONNECTING: 'bad' } }}>
 *     <ConnectionIndicator />
 *   </ConnectionProvider>,
 * )
 * ```
 */
export function ConnectionProvider({ store, source, options, children }: ConnectionProviderProps) {
  const [owned] = useState(() => {
    if (store) return null
    if (!source) throw new TypeError('ConnectionProvider: pass a store={…} or a source={…}')
    return createProviderStore(source, options)
  })
  // The store it made lives as long as the provider. useInsertionEffect is the one effect
  // React neither runs twice in StrictMode nor ends while an <Activity> hides the provider: it
  // ends at the real unmount only. Its mount reads the source and sets the store before any
  // hook below has subscribed, so it schedules no render.
  useInsertionEffect(() => mountUntilCleanup(owned), [owned])
  // A store passed in is yours: mounted while the provider shows, as QueryClientProvider mounts
  // its client.
  useEffect(() => mountUntilCleanup(store ?? null), [store])
  const provided = store ?? owned
  return <ConnectionContext.Provider value={provided}>{children}</ConnectionContext.Provider>
}
