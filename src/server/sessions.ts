/**
 * What the server remembers about one client session of one peer, across its sockets: the
 * messages it has accepted from it, and the relays numbered for it (kept for a replay).
 */
export interface SessionRecord {
  /** Highest message seq accepted from this session; `0` before the first. */
  lastSeq: number
  /** Number of the last relay addressed to this session; `0` before the first. */
  relayed: number
  /** The last relays addressed to it (the frame text after the number), oldest first. */
  readonly backlog: Backlog
  /**
   * The hub's relay count when this session stopped being a peer (it left, was dropped, or
   * another session took its id over); `null` while it is one. Relays after that were never
   * addressed to it, so a return counts them as missed.
   */
  awaySince: number | null
  /** When the record may be forgotten: `Infinity` while its peer is online. */
  expiresAt: number
}

/**
 * The last `limit` relays of one session. Numbers are implicit: the newest entry is number
 * `relayed`, the one before it `relayed - 1`, and so on.
 */
export class Backlog {
  #items: string[] = []
  #start = 0

  constructor(private readonly limit: number) {}

  get length(): number {
    return this.#items.length - this.#start
  }

  push(item: string): void {
    this.#items.push(item)
    if (this.length > this.limit) this.#start++
    // Compacting only when half the array is dead keeps `push` O(1) on average.
    if (this.#start > 64 && this.#start * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#start)
      this.#start = 0
    }
  }

  /** The `i`-th kept entry, oldest first. */
  at(i: number): string | undefined {
    return this.#items[this.#start + i]
  }

  clear(): void {
    this.#items = []
    this.#start = 0
  }
}

/**
 * Sessions remembered at most. Records outlive sockets on purpose (that is what lets a client
 * resend after a drop without duplicates, and be replayed what it missed), so they are bounded
 * both in number and in time. A session evicted early only loses de-duplication of messages
 * still in flight when it reconnects, and is told that relays were missed.
 */
export const MAX_SESSIONS = 10_000

/**
 * Sessions by peer id and session id, least recently admitted first. A session id resumes
 * only for the peer it was admitted as: presenting someone else's session while logged in as
 * another id gets a record of its own and touches nothing of theirs. A record is created only
 * when a socket is admitted (not at `hello`), so unauthenticated sockets cannot fill the table.
 */
export class SessionTable {
  readonly #records = new Map<string, SessionRecord>()

  constructor(
    private readonly backlogLimit: number,
    private readonly limit = MAX_SESSIONS,
  ) {}

  get size(): number {
    return this.#records.size
  }

  get(id: string, session: string): SessionRecord | undefined {
    return this.#records.get(key(id, session))
  }

  /** The record of `session` as peer `id`, created if needed, moved to most recent; evicts the oldest. */
  admit(id: string, session: string): SessionRecord {
    const k = key(id, session)
    const record = this.#records.get(k) ?? {
      lastSeq: 0,
      relayed: 0,
      backlog: new Backlog(this.backlogLimit),
      awaySince: null,
      expiresAt: Infinity,
    }
    // A Map iterates in insertion order: re-inserting makes this the most recent.
    this.#records.delete(k)
    this.#records.set(k, record)
    for (const oldest of this.#records.keys()) {
      if (this.#records.size <= this.limit) break
      this.#records.delete(oldest)
    }
    return record
  }

  /** Forgets the records whose time is up. */
  expire(now: number): void {
    for (const [k, record] of this.#records) if (record.expiresAt <= now) this.#records.delete(k)
  }
}

// A newline cannot appear in a session id a client may send, so the key is unambiguous.
const key = (id: string, session: string) => `${session}\n${id}`
