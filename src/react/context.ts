import { createContext, useContext } from 'react'
import type { ConnectionStore } from '../store/createConnectionStore.js'

/** The store `ConnectionProvider` hands down. */
export const ConnectionContext = createContext<ConnectionStore | null>(null)

/**
 * The store a hook reads (internal): the one passed explicitly, else the provider's; throws
 * without either.
 */
export function useResolvedStore(explicit?: ConnectionStore): ConnectionStore {
  const provided = useContext(ConnectionContext)
  const store = explicit ?? provided
  if (!store)
    throw new Error(
      'linklight: no connection store here. Wrap the component in <ConnectionProvider store={…}> or pass the store as the hook’s last argument.',
    )
  return store
}
