import type { PeerInfo, ServerFrame } from '../core/protocol.js'
import type { Connection } from './context.js'

/** An online peer: announced to the others and not yet announced as gone. */
export interface PeerEntry {
  readonly id: string
  /** The session holding this id; changes when a newcomer takes over an id in its grace period. */
  session: string
  readonly joinedAt: number
  lastSeenAt: number
  data: unknown
  /** The socket carrying this peer; `null` during the grace period after a drop. */
  conn: Connection | null
  /** When a disconnected peer is announced `DROPPED` unless its session comes back. */
  graceUntil: number
}

/** The wire form of a peer; `data` is left out when there is none. */
export function peerInfo(entry: PeerEntry): PeerInfo {
  const info: PeerInfo = { id: entry.id, joinedAt: entry.joinedAt, lastSeenAt: entry.lastSeenAt }
  if (entry.data !== undefined) info.data = entry.data
  return info
}

/**
 * Who is online, and the announcements that keep everyone's list equal to it: every change
 * goes through a method here, which tells the other peers.
 */
export class Presence {
  readonly #peers = new Map<string, PeerEntry>()

  /** @param announce sends a frame to every authenticated socket except the one of `except`. */
  constructor(private readonly announce: (frame: ServerFrame, except: string) => void) {}

  get size(): number {
    return this.#peers.size
  }

  get(id: string): PeerEntry | undefined {
    return this.#peers.get(id)
  }

  /** Everyone online, or everyone but `except` (what a newcomer's `welcome` lists). */
  list(except?: string): PeerInfo[] {
    const list: PeerInfo[] = []
    for (const entry of this.#peers.values()) if (entry.id !== except) list.push(peerInfo(entry))
    return list
  }

  /** Peers whose grace period is over at `now`. */
  expired(now: number): PeerEntry[] {
    return [...this.#peers.values()].filter((e) => e.conn === null && e.graceUntil <= now)
  }

  join(conn: Connection, id: string, session: string, data: unknown, now: number): PeerEntry {
    const entry: PeerEntry = {
      id,
      session,
      joinedAt: now,
      lastSeenAt: now,
      data,
      conn,
      graceUntil: Infinity,
    }
    this.#peers.set(id, entry)
    this.announce({ t: 'joined', peer: peerInfo(entry) }, id)
    return entry
  }

  update(entry: PeerEntry, data: unknown, now: number): void {
    entry.data = data
    entry.lastSeenAt = now
    this.announce({ t: 'updated', peer: peerInfo(entry) }, entry.id)
  }

  leave(entry: PeerEntry, reason: 'QUIT' | 'DROPPED', now: number): void {
    // A stale entry (already replaced or gone) must not announce a second leave.
    if (this.#peers.get(entry.id) !== entry) return
    this.#peers.delete(entry.id)
    this.announce({ t: 'left', id: entry.id, reason, at: now }, entry.id)
  }

  /** Forgets everyone without a word: used when there is nobody left to tell. */
  clear(): void {
    this.#peers.clear()
  }
}
