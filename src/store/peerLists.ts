/**
 * The store's peers: the online ones (a map by id and the same as an array) and, apart, the last
 * few that left. The store rebuilds them once per batch of peer events (peerBatch.ts), keeping
 * every list whose peers are all the same, so a selector reading it sees no change.
 */
import type { Peer } from '../core/peers.js'

/** The peer part of a store's state. */
export interface PeerLists {
  /** The online peers by id, in the order they came online: what `source.getPeers()` gives. */
  readonly peers: ReadonlyMap<string, Peer>
  /** `peers` as an array: what `usePeers()` gives. */
  readonly peerList: readonly Peer[]
  /**
   * The last few peers that left (`online: false`, with their `leftReason`), by id, the oldest
   * departure first; at most the store's `offlinePeers`. A peer that comes back moves to `peers`.
   */
  readonly departedPeers: ReadonlyMap<string, Peer>
}

const sameList = (a: readonly Peer[], b: readonly Peer[]) =>
  a.length === b.length && a.every((peer, i) => peer === b[i])

const sameMap = (a: ReadonlyMap<string, Peer>, b: ReadonlyMap<string, Peer>) =>
  a.size === b.size && sameList([...a.values()], [...b.values()])

/**
 * The lists for `online` and `departed`. A list whose peers are all those of `before`'s is
 * `before`'s, map and array alike.
 */
export function peerLists(
  online: ReadonlyMap<string, Peer>,
  departed: ReadonlyMap<string, Peer>,
  before?: PeerLists,
): PeerLists {
  const list = [...online.values()]
  const sameOnline = before !== undefined && sameList(before.peerList, list)
  return {
    peers: sameOnline ? before.peers : online,
    peerList: sameOnline ? before.peerList : list,
    departedPeers:
      before && sameMap(before.departedPeers, departed) ? before.departedPeers : departed,
  }
}

// One combined array per pair of lists, so the same lists give the same array.
const combined = new WeakMap<
  readonly Peer[],
  { departed: ReadonlyMap<string, Peer>; all: readonly Peer[] }
>()

/**
 * The online peers, then the ones that left: what `usePeers({ includeOffline: true })` gives.
 * The same lists give the same array.
 */
export function allPeers({ peerList, departedPeers }: PeerLists): readonly Peer[] {
  if (departedPeers.size === 0) return peerList
  const last = combined.get(peerList)
  if (last?.departed === departedPeers) return last.all
  const all = [...peerList, ...departedPeers.values()]
  combined.set(peerList, { departed: departedPeers, all })
  return all
}
