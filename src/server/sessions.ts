/** What the server remembers about one client session, across its sockets. */
export interface SessionRecord {
  /** Highest message seq delivered for this session; `0` before the first. */
  lastSeq: number
  /** The peer id this session was last admitted as. */
  peerId?: string
}

/**
 * Sessions remembered at most. Records outlive sockets on purpose (that is what lets a client
 * resend after a drop without duplicates), so without a bound every session ever seen would
 * stay in memory. 10,000 covers any test, demo or dev setup; a session evicted after that many
 * newer ones only loses de-duplication of messages still in flight when it reconnects.
 */
export const MAX_SESSIONS = 10_000

/**
 * Sessions by id, least recently admitted first. A record is created only when a socket is
 * admitted (not at `hello`), so unauthenticated sockets cannot fill the table.
 */
export class SessionTable {
  readonly #records = new Map<string, SessionRecord>()

  constructor(private readonly limit = MAX_SESSIONS) {}

  get size(): number {
    return this.#records.size
  }

  get(session: string): SessionRecord | undefined {
    return this.#records.get(session)
  }

  /** The record of `session`, created if needed, moved to most recent; evicts the oldest. */
  admit(session: string): SessionRecord {
    const record = this.#records.get(session) ?? { lastSeq: 0 }
    // A Map iterates in insertion order: re-inserting makes this the most recent.
    this.#records.delete(session)
    this.#records.set(session, record)
    for (const oldest of this.#records.keys()) {
      if (this.#records.size <= this.limit) break
      this.#records.delete(oldest)
    }
    return record
  }
}
