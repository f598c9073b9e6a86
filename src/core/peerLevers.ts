/**
 * The levers that change a source's online peers: one peer joins, changes or leaves, or the
 * server's full list replaces them all. Every adapter carries them; linklight's client only
 * with its presence feature.
 */
import type { Clock } from './clock.js'
import type { KitCore } from './kitCore.js'
import { replacePeers, type LeftReason, type Peer } from './peers.js'
import type { PeerInfo } from './protocol.js'

export interface PeerLevers {
  /** A peer comes online, or changes; `data` undefined means none. */
  peerOnline(id: string, data?: unknown): void
  /** A peer as the server describes it (its own times), online. */
  putPeer(peer: Peer): void
  /**
   * Replaces the online peers by a full list — ids, or the server's descriptions: the missing
   * leave (`reason`), the new join, the changed update, the unchanged keep their object.
   */
  replacePeers(list: Iterable<string> | readonly PeerInfo[], reason?: LeftReason): void
}

/** The peer levers of `kit`, stamping times from `clock`. */
export function peerLevers(kit: KitCore, clock: Clock): PeerLevers {
  const { peers } = kit
  const putPeer = (peer: Peer) => {
    const known = peers.has(peer.id)
    peers.set(peer.id, peer)
    kit.emit(known ? 'peerUpdated' : 'peerJoined', peer)
  }
  return {
    peerOnline(id, data) {
      const before = peers.get(id)
      const now = clock.now()
      putPeer({
        id,
        online: true,
        joinedAt: before?.joinedAt ?? now,
        lastSeenAt: now,
        ...(data !== undefined && { data }),
      })
    },
    putPeer,
    replacePeers(list, reason) {
      const now = clock.now()
      const infos: PeerInfo[] = [...list].map((item) => {
        if (typeof item != 'string') return item
        const held = peers.get(item)
        return held
          ? { id: item, joinedAt: held.joinedAt, lastSeenAt: held.lastSeenAt, data: held.data }
          : { id: item, joinedAt: now, lastSeenAt: now }
      })
      const diff = replacePeers(peers, infos, now, reason)
      peers.clear()
      for (const [id, peer] of diff.peers) peers.set(id, peer)
      for (const peer of diff.left) kit.emit('peerLeft', peer)
      for (const peer of diff.joined) kit.emit('peerJoined', peer)
      for (const peer of diff.updated) kit.emit('peerUpdated', peer)
    },
  }
}
