/**
 * `fromSocketIO`'s send queue: every message waits here, in order, until the server acknowledges
 * it. Each has an id of its own, so a message sent again — after a drop, or when an
 * acknowledgement is late — is recognised by the server and delivered once. A full queue refuses
 * new messages; nothing accepted is dropped.
 */
import { readSendReply } from './socketioWire.js'

interface Entry {
  readonly id: string
  readonly data: unknown
  readonly resolve: () => void
  readonly reject: (error: Error) => void
  /** The try now waiting for its acknowledgement; 0 when none is. */
  attempt: number
}

/** Sends one message and calls `done` with Socket.IO's acknowledgement error or the reply. */
export type EmitWithAck = (
  payload: { id: string; data: unknown },
  done: (error: unknown, reply?: unknown) => void,
) => void

export interface AckedOutbox {
  /** Messages not yet acknowledged. */
  readonly size: number
  /** Queues a message; rejects with a `RangeError` at once when `limit` messages wait. */
  add(data: unknown): Promise<void>
  /** The link is up: sends every message not already waiting for its acknowledgement, in order. */
  flush(emit: EmitWithAck): void
  /** The link dropped: every message will be sent again at the next `flush`. */
  linkDown(): void
  /** Rejects every message still waiting. */
  rejectAll(error: Error): void
}

export function createAckedOutbox({
  limit,
  nextId,
  changed,
}: {
  readonly limit: number
  readonly nextId: () => string
  /** Called after the number of waiting messages changed. */
  readonly changed: (size: number) => void
}): AckedOutbox {
  const line: Entry[] = []
  let tries = 0
  let emitter: EmitWithAck | null = null

  function settle(entry: Entry, error?: Error) {
    const at = line.indexOf(entry)
    if (at < 0) return
    line.splice(at, 1)
    if (error) entry.reject(error)
    else entry.resolve()
    changed(line.length)
  }

  function send(entry: Entry, emit: EmitWithAck) {
    const attempt = (entry.attempt = ++tries)
    emit({ id: entry.id, data: entry.data }, (error, reply) => {
      if (error) {
        // Only the latest try's failure counts; an earlier one was superseded by a resend.
        if (entry.attempt !== attempt) return
        entry.attempt = 0
        // No acknowledgement in time on a link still up: the server may be slow, or the
        // message lost; send it again (a duplicate is recognised by its id).
        if (emitter && line.includes(entry)) send(entry, emitter)
        return
      }
      // An answer from any try settles the message (once: settle ignores it after that).
      entry.attempt = 0
      let answer
      try {
        answer = readSendReply(reply)
      } catch (problem) {
        return settle(
          entry,
          new Error(`fromSocketIO: send() got no valid answer: ${(problem as Error).message}`),
        )
      }
      if (answer.ok) settle(entry)
      else settle(entry, new Error(`fromSocketIO: the server refused the message: ${answer.error}`))
    })
  }

  return {
    get size() {
      return line.length
    },
    add(data) {
      if (line.length >= limit)
        return Promise.reject(
          new RangeError(
            `fromSocketIO: send() refused the message: ${limit} messages already wait for the server (queueLimit). Wait for some to be delivered, or raise queueLimit.`,
          ),
        )
      const done = new Promise<void>((resolve, reject) => {
        const entry: Entry = { id: nextId(), data, resolve, reject, attempt: 0 }
        line.push(entry)
        if (emitter) send(entry, emitter)
      })
      changed(line.length)
      return done
    },
    flush(emit) {
      emitter = emit
      for (const entry of [...line]) if (!entry.attempt) send(entry, emit)
    },
    linkDown() {
      emitter = null
      for (const entry of line) entry.attempt = 0
    },
    rejectAll(error) {
      emitter = null
      for (const entry of line.splice(0)) {
        entry.attempt = 0
        entry.reject(error)
      }
      changed(0)
    },
  }
}
