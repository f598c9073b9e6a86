import type { ConnectionState } from '../core/states.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelector } from './useStoreSelector.js'

/**
 * The raw connection state. Renders only when the state changes — never for messages,
 * heartbeats or peers.
 *
 * @example
 * ```tsx
 * const state = useConnectionState()
 * return state === 'OPEN' ? <Chat /> : <p>Connecting…</p>
 * ```
 */
export function useConnectionState(store?: ConnectionStore): ConnectionState {
  return useStoreSelector(store, (s) => s.connection.state)
}
