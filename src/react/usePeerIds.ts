import type { Peer } from '../core/peers.js'
import type { ConnectionStore } from '../store/createConnectionStore.js'
import { useStoreSelectorWith } from './useStoreSelectorWith.js'

// One id array per online-peer array, so equal lists give the same array.
const idsOf = new WeakMap<readonly Peer[], readonly string[]>()
const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i])

/**
 * The ids of the online peers. Renders when a peer joins or leaves, not when one updates.
 *
 * @example
 * ```tsx
 * const ids = usePeerIds()
 * return <ul>{ids.map((id) => <PeerRow key={id} id={id} />)}</ul>
 * ```
 */
export function usePeerIds(store?: ConnectionStore): readonly string[] {
  return useStoreSelectorWith(
    store,
    (s) => {
      let ids = idsOf.get(s.peerList)
      if (!ids) idsOf.set(s.peerList, (ids = s.peerList.map((p) => p.id)))
      return ids
    },
    sameIds,
  )
}
