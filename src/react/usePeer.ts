import type { Peer } from '../core/peers.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelector } from './useStoreSelector.js'

/**
 * One peer by id, online or among the store's `departedPeers`, or `undefined`. Renders only when
 * that peer changes.
 *
 * @example
 * ```tsx
 * function PeerRow({ id }: { id: string }) {
 *   const peer = usePeer(id)
 *   return <li data-online={peer?.online}>{id}</li>
 * }
 * ```
 */
export function usePeer(id: string, store?: ConnectionStore): Peer | undefined {
  return useStoreSelector(store, (s) => s.peers.get(id) ?? s.departedPeers.get(id))
}
