import type { PeerInfo } from './protocol.js'

/** Why a peer left: `QUIT` when it closed cleanly, `DROPPED` when the server stopped hearing it. */
export type LeftReason = 'QUIT' | 'DROPPED'

/**
 * Another participant connected to the same server. Immutable: an update is a new object for
 * that peer only. Times are the server's epoch milliseconds.
 */
export interface Peer {
  readonly id: string
  readonly online: boolean
  readonly joinedAt: number
  readonly lastSeenAt: number
  readonly leftReason?: LeftReason
  readonly data?: unknown
}

/** The peer a server's description stands for, online. */
export function peerFrom(info: PeerInfo): Peer {
  const peer = { id: info.id, online: true, joinedAt: info.joinedAt, lastSeenAt: info.lastSeenAt }
  return info.data === undefined ? peer : { ...peer, data: info.data }
}

/** The same peer, gone. */
export function peerLeft(peer: Peer, reason: LeftReason | undefined, at: number): Peer {
  const left = { ...peer, online: false, lastSeenAt: Math.max(peer.lastSeenAt, at) }
  return reason ? { ...left, leftReason: reason } : left
}

// Peer data arrived as JSON of bounded depth, so its serialisation compares it exactly; should
// it ever fail, the peer counts as changed rather than the comparison throwing.
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true
  try {
    return JSON.stringify(a) === JSON.stringify(b)
  } catch {
    return false
  }
}

const samePeer = (a: Peer, b: Peer) =>
  a.joinedAt === b.joinedAt && a.lastSeenAt === b.lastSeenAt && sameData(a.data, b.data)

/** How a full peer list from the server differs from the one held. */
export interface PeerDiff {
  readonly peers: ReadonlyMap<string, Peer>
  readonly joined: readonly Peer[]
  readonly left: readonly Peer[]
  readonly updated: readonly Peer[]
}

/**
 * Replaces the held peers by a full list (the server's, sent after every login): peers no
 * longer listed leave (with `reason` when known), new ones join, changed ones update, unchanged
 * ones keep their object. No ghosts and no duplicates, whatever happened while away; an id
 * listed twice counts once, as its last entry.
 */
export function replacePeers(
  held: ReadonlyMap<string, Peer>,
  list: readonly PeerInfo[],
  now: number,
  reason?: LeftReason,
): PeerDiff {
  // A list that names a peer twice must not announce it twice: the last entry wins.
  const latest = new Map<string, PeerInfo>()
  for (const info of list) latest.set(info.id, info)
  const peers = new Map<string, Peer>()
  const joined: Peer[] = []
  const updated: Peer[] = []
  for (const info of latest.values()) {
    const next = peerFrom(info)
    const before = held.get(info.id)
    if (!before) joined.push(next)
    else if (!samePeer(before, next)) updated.push(next)
    peers.set(info.id, before && samePeer(before, next) ? before : next)
  }
  const left = [...held.values()]
    .filter((p) => !peers.has(p.id))
    .map((p) => peerLeft(p, reason, now))
  return { peers, joined, left, updated }
}
