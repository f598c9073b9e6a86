/**
 * What the client keeps for one session on the server: its secret id, our peer id there, and
 * the numbering of the relays it received. A session ends with `close()`.
 */

// 128 random bits: the session id is a bearer secret (it resumes this client's place on the
// server), so it must not be guessable.
const newId = () =>
  Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('')

/** What to do with a numbered relay. */
export type RelayVerdict = 'deliver' | 'skip' | { readonly replayAfter: number }

export interface Session {
  readonly id: string
  /** Our own peer id (from `welcome`): presence news about it is not news about a peer. */
  readonly selfId: string | null
  /** The number of the last relay received. */
  readonly received: number
  /**
   * Relays are numbered per session: one already seen is a replay's overlap (skip), one that
   * skips ahead means some were lost on this link: ask (once per gap) for a replay.
   */
  relay(n: number): RelayVerdict
  /** The server says relays up to `upTo` are gone for good. */
  missed(upTo: number): void
  /** A login was welcomed as `selfId`. */
  welcomed(selfId: string): void
}

export function createSession(): Session {
  let received = 0
  let replayAskedAt = -1
  let selfId: string | null = null
  return {
    id: newId(),
    get selfId() {
      return selfId
    },
    get received() {
      return received
    },
    relay(n) {
      if (n <= received) return 'skip'
      if (n > received + 1) {
        if (replayAskedAt == received) return 'skip'
        replayAskedAt = received
        return { replayAfter: received }
      }
      received = n
      return 'deliver'
    },
    missed(upTo) {
      received = upTo
    },
    welcomed(id) {
      selfId = id
      replayAskedAt = -1
    },
  }
}
