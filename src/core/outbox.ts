/**
 * The offline send queue (§3.5). Every message gets the next sequence number of the session when
 * it is accepted, so its place in line never changes: it waits in `pending` until the link is
 * OPEN, then in `unacked` until the server acknowledges it. When a link drops, the unacknowledged
 * ones go back to the front of the line and are sent again; the server drops duplicates.
 */
export interface OutgoingMessage {
  readonly seq: number
  /** The encoded frame, fixed when the message was accepted: a resend is the same text. */
  readonly frame: string
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
  /** The server has everything up to `seq`. */
  ack(seq: number): void
  /** The link dropped: unacknowledged messages go back to the front of the line. */
  requeue(): void
  /** Rejects everything still waiting and starts a new session (sequence numbers from 1). */
  rejectAll(error: Error): void
}

const noop = () => {}

export function createOutbox(limit: number): Outbox {
  let seq = 0
  let pending: OutgoingMessage[] = []
  let unacked: OutgoingMessage[] = []
  return {
    get pending() {
      return pending.length
    },
    add(encode, offline) {
      if (offline && pending.length >= limit)
        throw new RangeError(
          `send: the queue is full (${limit} messages waiting for the connection); nothing was dropped. Wait for OPEN or raise queueLimit.`,
        )
      const frame = encode(seq + 1)
      let entry!: OutgoingMessage
      const promise = new Promise<void>((resolve, reject) => {
        entry = { seq: ++seq, frame, resolve, reject }
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
        let result: WriteResult
        try {
          result = write(message)
        } catch (error) {
          result = error instanceof Error ? error : new Error(String(error))
        }
        if (result !== true) message.reject(result)
        else if (acked) unacked.push(message)
        else message.resolve()
      }
    },
    ack(upTo) {
      // After a drop the unacknowledged messages sit at the front of `pending`: trim both.
      const settle = (line: OutgoingMessage[]) => {
        let done = 0
        while (done < line.length && line[done]!.seq <= upTo) line[done++]!.resolve()
        return done ? line.slice(done) : line
      }
      unacked = settle(unacked)
      pending = settle(pending)
    },
    requeue() {
      pending = [...unacked, ...pending]
      unacked = []
    },
    rejectAll(error) {
      const all = [...unacked, ...pending]
      unacked = []
      pending = []
      seq = 0
      for (const message of all) message.reject(error)
    },
  }
}
