/**
 * Peer events wait for the end of the tick and land in the store as one update: a burst of
 * 1,000 joins is one new list, and one render of whatever shows it.
 */
import type { Peer } from '../core/peers.js'
import { peerLists, type PeerLists } from './peerLists.js'

/** Collects the peer events of a tick; `cancel()` drops those not yet applied. */
export interface PeerBatch {
  /** A peer joined or changed (it is online). */
  online(peer: Peer): void
  /** A peer left (`online: false`). */
  left(peer: Peer): void
  cancel(): void
}

/**
 * A batch over the lists `current()` returns, handing the new ones to `publish` at the end of
 * the tick. At most `keepDeparted` peers that left are kept: the oldest departures go first.
 */
export function createPeerBatch(
  current: () => PeerLists,
  publish: (lists: PeerLists) => void,
  keepDeparted: number,
): PeerBatch {
  let batch: { online: Map<string, Peer>; departed: Map<string, Peer> } | undefined

  const flush = () => {
    if (!batch) return
    const { online, departed } = batch
    batch = undefined
    for (const id of [...departed.keys()].slice(0, Math.max(0, departed.size - keepDeparted)))
      departed.delete(id)
    const before = current()
    const after = peerLists(online, departed, before)
    if (after.peerList !== before.peerList || after.departedPeers !== before.departedPeers)
      publish(after)
  }

  const open = () => {
    if (batch) return batch
    const { peers, departedPeers } = current()
    queueMicrotask(flush)
    return (batch = { online: new Map(peers), departed: new Map(departedPeers) })
  }

  return {
    online(peer) {
      const { online, departed } = open()
      departed.delete(peer.id)
      online.set(peer.id, peer)
    },
    left(peer) {
      const { online, departed } = open()
      online.delete(peer.id)
      // A departure moves to the end, behind the earlier ones.
      departed.delete(peer.id)
      departed.set(peer.id, peer)
    },
    cancel() {
      batch = undefined
    },
  }
}
