import type { Peer } from '../core/peers.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelector } from './useStoreSelector.js'

/** Options of {@link usePeers}. */
export interface UsePeersOptions {
  /** Also return the peers that left recently (`online: false`). */
  includeOffline?: boolean | undefined
}

/**
 * The online peers (or all known ones with `includeOffline`). A burst of peer events lands as
 * one update, so a list renders once per burst.
 *
 * @example
 * ```tsx
 * const peers = usePeers()
 * return <ul>{peers.map((p) => <li key={p.id}>{p.id}</li>)}</ul>
 * ```
 */
export function usePeers(options: UsePeersOptions = {}, store?: ConnectionStore): readonly Peer[] {
  return useStoreSelector(store, (s) => (options.includeOffline ? s.peerList : s.onlinePeers))
}
