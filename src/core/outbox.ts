/**
 * The offline send queue. Messages wait in `pending` until the link is OPEN, then in
 * `unacked` until the server acknowledges them; together they are one line, numbered
 * consecutively from `base`. The server accepts only the next number in order, so the line never
 * has a hole: a message refused at the door (too large) gives its number to the next one, and
 * when the server's count differs from ours (a new session record) the line is renumbered from
 * the server's count. When a link drops, or the server asks for a resend, the unacknowledged
 * ones go back to the front of the line and are sent again; the server drops duplicates.
 */
export interface OutgoingMessage {
  /** Its number in the line; re-encoded into `frame` whenever the line is renumbered. */
  seq: number
  /** The encoded frame: a resend with the same number is the same text. */
  frame: string
  readonly encode: (seq: number) => string
  readonly resolve: () => void
  readonly reject: (error: Error) => void
}

/** What a writer did with a message: sent it, or refused it for good (it is rejected). */
export type WriteResult = true | Error

export interface Outbox {
  /** Messages not yet written to a socket. */
  readonly pending: number
  /**
   * Accepts a message, encoded with its sequence number. While `offline` (no OPEN link) it
   * throws a `RangeError` when `limit` messages already wait; nothing already accepted is dropped.
   */
  add(encode: (seq: number) => string, offline: boolean): Promise<void>
  /** Writes pending messages in order; `acked` says whether to wait for acknowledgements. */
  flush(write: (message: OutgoingMessage) => WriteResult, acked: boolean): void
  /**
   * The server has everything up to `seq`. Returns `false`, settling nothing, when `seq` is
   * beyond what was ever written: an ack for a message the server cannot have.
   */
  ack(seq: number): boolean
  /** The link dropped, or the server asked for a resend: unacknowledged messages go back to the front. */
  requeue(): void
  /**
   * A new link's server has accepted this session's messages up to `lastSeq`: settles those,
   * and numbers the rest of the line from `lastSeq + 1`.
   */
  resume(lastSeq: number): void
  /** Rejects everything still waiting and starts a new session (sequence numbers from 1). */
  rejectAll(error: Error): void
}

const noop = () => {}

export function createOutbox(limit: number): Outbox {
  /** The number of the first message in line (or of the next one, when the line is empty). */
  let base = 1
  /** Highest number written in the current numbering: acks above it are not believed. */
  let written = 0
  let pending: OutgoingMessage[] = []
  let unacked: OutgoingMessage[] = []

  const settle = (line: OutgoingMessage[], upTo: number) => {
    let done = 0
    while (done < line.length && line[done]!.seq <= upTo) line[done++]!.resolve()
    return done ? line.slice(done) : line
  }

  const outbox: Outbox = {
    get pending() {
      return pending.length
    },
    add(encode, offline) {
      if (offline && pending.length >= limit)
        throw new RangeError(
          `send: the queue is full (${limit} messages waiting for the connection); nothing was dropped. Wait for OPEN or raise queueLimit.`,
        )
      const seq = base + unacked.length + pending.length
      const frame = encode(seq)
      let entry!: OutgoingMessage
      const promise = new Promise<void>((resolve, reject) => {
        entry = { seq, frame, encode, resolve, reject }
      })
      // Callers may ignore the promise; a rejection on close() must not become an unhandled one.
      promise.catch(noop)
      pending.push(entry)
      return promise
    },
    flush(write, acked) {
      const batch = pending
      pending = []
      for (const message of batch) {
        const seq = base + unacked.length
        if (message.seq !== seq) {
          message.seq = seq
          message.frame = message.encode(seq)
        }
        let result: WriteResult
        try {
          result = write(message)
        } catch (error) {
          result = error instanceof Error ? error : new Error(String(error))
        }
        if (result !== true) message.reject(result)
        else if (acked) {
          unacked.push(message)
          written = Math.max(written, seq)
        } else {
          base++
          message.resolve()
        }
      }
    },
    ack(upTo) {
      if (upTo > written) return false
      // After a drop the unacknowledged messages sit at the front of `pending`: trim both.
      unacked = settle(unacked, upTo)
      pending = settle(pending, upTo)
      base = Math.max(base, upTo + 1)
      return true
    },
    requeue() {
      pending = [...unacked, ...pending]
      unacked = []
    },
    resume(lastSeq) {
      outbox.requeue()
      if (lastSeq <= written) outbox.ack(lastSeq)
      // Numbers from here on are the server's; `flush` re-encodes whatever no longer fits.
      base = lastSeq + 1
      written = lastSeq
    },
    rejectAll(error) {
      const all = [...unacked, ...pending]
      unacked = []
      pending = []
      base = 1
      written = 0
      for (const message of all) message.reject(error)
    },
  }
  return outbox
}
