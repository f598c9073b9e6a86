import type { PeerInfo } from '../protocol/index.js'
import type { Connection } from './context.js'
import type { SessionRecord } from './sessions.js'

/** An online peer: announced to the others and not yet announced as gone. */
export interface PeerEntry {
  readonly id: string
  /** The id as JSON, made once. */
  readonly idJson: string
  /** The session holding this id; changes when a newcomer takes over an id in its grace period. */
  session: string
  /** That session's record: its message seq and the relays numbered for it. */
  record: SessionRecord
  readonly joinedAt: number
  lastSeenAt: number
  /** Presence data as JSON text, checked and serialised once when it arrived; absent for none. */
  dataJson: string | undefined
  /** The socket carrying this peer; `null` during the grace period after a drop. */
  conn: Connection | null
  /** When a disconnected peer is announced `DROPPED` unless its session comes back. */
  graceUntil: number
  /** {@link peerJson}'s last text, and the `lastSeenAt` it was made for; dropped when data changes. */
  json?: string | undefined
  jsonSeenAt?: number
}

/**
 * The wire form of a peer, as JSON text; `data` is left out when there is none. Kept until the
 * peer changes: every newcomer's `welcome` lists every peer, so a join storm of N peers would
 * otherwise write out N²/2 of them.
 */
export function peerJson(entry: PeerEntry): string {
  if (entry.json === undefined || entry.jsonSeenAt !== entry.lastSeenAt) {
    entry.json = `{"id":${entry.idJson},"joinedAt":${entry.joinedAt},"lastSeenAt":${entry.lastSeenAt}${
      entry.dataJson === undefined ? '' : `,"data":${entry.dataJson}`
    }}`
    entry.jsonSeenAt = entry.lastSeenAt
  }
  return entry.json
}

/** The wire form of a peer, as an object (for `server.peers()`). */
export const peerInfo = (entry: PeerEntry): PeerInfo => JSON.parse(peerJson(entry)) as PeerInfo

/**
 * Who is online, and the announcements that keep everyone's list equal to it: every change
 * goes through a method here, which hands the change (a presence frame, as JSON text) and the
 * peer it is about to `announce`.
 */
export class Presence {
  readonly #peers = new Map<string, PeerEntry>()

  constructor(private readonly announce: (frame: string, about: string) => void) {}

  get size(): number {
    return this.#peers.size
  }

  get(id: string): PeerEntry | undefined {
    return this.#peers.get(id)
  }

  entries(): IterableIterator<PeerEntry> {
    return this.#peers.values()
  }

  /** Everyone online, or everyone but `except` (what a newcomer's `welcome` lists). */
  listJson(except?: string): string {
    const list: string[] = []
    for (const entry of this.#peers.values()) if (entry.id !== except) list.push(peerJson(entry))
    return `[${list.join(',')}]`
  }

  /** Peers whose grace period is over at `now`. */
  expired(now: number): PeerEntry[] {
    return [...this.#peers.values()].filter((e) => e.conn === null && e.graceUntil <= now)
  }

  join(entry: Omit<PeerEntry, 'idJson'>): PeerEntry {
    const joined: PeerEntry = { ...entry, idJson: JSON.stringify(entry.id) }
    this.#peers.set(entry.id, joined)
    this.announce(`{"t":"joined","peer":${peerJson(joined)}}`, entry.id)
    return joined
  }

  update(entry: PeerEntry, dataJson: string | undefined, now: number): void {
    entry.dataJson = dataJson
    entry.json = undefined
    entry.lastSeenAt = now
    this.announce(`{"t":"updated","peer":${peerJson(entry)}}`, entry.id)
  }

  /** Announces the peer gone; returns whether it was still the current entry for its id. */
  leave(entry: PeerEntry, reason: 'QUIT' | 'DROPPED', now: number): boolean {
    // A stale entry (already replaced or gone) must not announce a second leave.
    if (this.#peers.get(entry.id) !== entry) return false
    this.#peers.delete(entry.id)
    this.announce(`{"t":"left","id":${entry.idJson},"reason":"${reason}","at":${now}}`, entry.id)
    return true
  }

  /** Forgets everyone without a word: used when there is nobody left to tell. */
  clear(): void {
    this.#peers.clear()
  }
}
