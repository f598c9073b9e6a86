/**
 * The store's peers: a map by id and two arrays. The store rebuilds them once per batch
 * of peer events (`flushPeers` in createConnectionStore.ts), keeping the arrays whose peers are
 * all the same.
 */
import type { Peer } from '../core/peers.js'

/** The peer part of a store's state. */
export interface PeerLists {
  /** Every known peer by id: the online ones, then the last few that left, oldest first. */
  readonly peers: ReadonlyMap<string, Peer>
  /** `peers` as an array. */
  readonly peerList: readonly Peer[]
  /** The online ones among `peerList`. */
  readonly onlinePeers: readonly Peer[]
}

const same = (a: readonly Peer[], b: readonly Peer[]) =>
  a.length === b.length && a.every((peer, i) => peer === b[i])

/**
 * The lists for `peers`. An array whose peers are all those of `before`'s is `before`'s array, so
 * a selector reading it sees no change.
 */
export function peerLists(peers: ReadonlyMap<string, Peer>, before?: PeerLists): PeerLists {
  const all = [...peers.values()]
  const online = all.filter((peer) => peer.online)
  return {
    peers,
    peerList: before && same(before.peerList, all) ? before.peerList : all,
    onlinePeers: before && same(before.onlinePeers, online) ? before.onlinePeers : online,
  }
}
