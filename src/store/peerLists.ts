/**
 * The store's peer lists (§4, §5): a map by id and two memoized arrays, rebuilt once per batch
 * of peer events and only when a peer actually changed.
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

/** One peer event, as the store applies it to a copy of the map. */
export type PeerChange = { kind: 'set' | 'left'; peer: Peer }

const onlineOf = (list: readonly Peer[]) => list.filter((peer) => peer.online)
const sameList = (a: readonly Peer[], b: readonly Peer[]) =>
  a.length === b.length && a.every((peer, i) => peer === b[i])

/** The lists for a map of peers. */
export function peerListsOf(peers: ReadonlyMap<string, Peer>): PeerLists {
  const peerList = [...peers.values()]
  return { peers, peerList, onlinePeers: onlineOf(peerList) }
}

/**
 * The lists after a batch of changes, keeping at most `keepOffline` peers that left (the oldest
 * departures go first); `null` when nothing changed. An array whose peers are all the same is
 * the previous array, so a selector reading it sees no change.
 *
 * @example
 * ```ts
 * applyPeerChanges(lists, [{ kind: 'left', peer: peerLeft(ada, 'QUIT', now) }], 100)
 * ```
 */
export function applyPeerChanges(
  before: PeerLists,
  changes: readonly PeerChange[],
  keepOffline: number,
): PeerLists | null {
  const peers = new Map(before.peers)
  for (const { kind, peer } of changes) {
    // A peer that left moves to the end, behind the earlier departures.
    if (kind === 'left') peers.delete(peer.id)
    peers.set(peer.id, peer)
  }
  const offline = [...peers.values()].filter((peer) => !peer.online)
  for (const gone of offline.slice(0, Math.max(0, offline.length - keepOffline)))
    peers.delete(gone.id)
  const peerList = [...peers.values()]
  if (sameList(before.peerList, peerList)) return null
  const online = onlineOf(peerList)
  return {
    peers,
    peerList,
    onlinePeers: sameList(before.onlinePeers, online) ? before.onlinePeers : online,
  }
}
