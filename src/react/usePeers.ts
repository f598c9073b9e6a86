import type { Peer } from '../core/peers.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { allPeers } from '../store/peerLists.js'
import { useStoreSelector } from './useStoreSelector.js'

/**
 * Options of {@link usePeers}.
 *
 * @example
 * ```ts
 * const everyone = usePeers({ includeOffline: true })
 * ```
 */
export interface UsePeersOptions {
  /** Also return the peers that left recently (`online: false`), after the online ones. */
  includeOffline?: boolean | undefined
}

/**
 * The online peers: the store's `peerList`, the same as `source.getPeers()`. With
 * `includeOffline`, the store's `departedPeers` follow them. A burst of peer events lands as one
 * update, so a list renders once per burst.
 *
 * @example
 * ```tsx
 * const peers = usePeers()
 * return <ul>{peers.map((p) => <li key={p.id}>{p.id}</li>)}</ul>
 * ```
 */
export function usePeers(options: UsePeersOptions = {}, store?: ConnectionStore): readonly Peer[] {
  return useStoreSelector(store, (s) => (options.includeOffline ? allPeers(s) : s.peerList))
}
