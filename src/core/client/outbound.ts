/**
 * Messages on their way out: `send()` encodes each with its sequence number into the outbox,
 * and `flush` writes what waits, refusing a message larger than the server accepts.
 */
import type { Outbox, OutgoingMessage, WriteResult } from '../outbox.js'
import type { Protocol } from '../protocol.js'
import type { KitCore } from '../kitCore.js'

// A UTF-8 character takes at most 3 bytes per UTF-16 unit: only long texts need counting.
const fits = (text: string, bytes: number) =>
  text.length * 3 <= bytes || new TextEncoder().encode(text).byteLength <= bytes

export interface Outbound {
  /** Queues `data` (written at once when `open`); settles when the server has it. */
  send(data: unknown, open: boolean): Promise<void>
  /** Writes what waits, in order. */
  flush(): void
  /** The server's limit on a frame (from `accept`); `Infinity` on a new socket. */
  limit(bytes: number): void
}

export function createOutbound(
  outbox: Outbox,
  protocol: Protocol,
  write: (text: string) => void,
  kit: KitCore,
): Outbound {
  let maxPayload = Infinity
  const writeMessage = (message: OutgoingMessage): WriteResult => {
    if (fits(message.frame, maxPayload)) {
      write(message.frame)
      return true
    }
    const error = new RangeError(
      `send: the message is larger than the server accepts (${maxPayload} bytes); it was not sent`,
    )
    kit.emit('error', { code: 'MESSAGE_TOO_LARGE', message: error.message })
    return error
  }
  const flush = () => outbox.flush(writeMessage, protocol.handshake)
  return {
    send(data, open) {
      if (data === undefined) throw new TypeError('send: data must not be undefined (send null)')
      const sent = outbox.add((seq) => {
        try {
          return protocol.encode({ t: 'msg', seq, data })
        } catch (error) {
          throw new TypeError(`send: data cannot be encoded as JSON (${(error as Error).message})`)
        }
      }, !open)
      if (open) flush()
      return sent
    },
    flush,
    limit(bytes) {
      maxPayload = bytes
    },
  }
}
