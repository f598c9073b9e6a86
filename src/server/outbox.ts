import { WebSocket } from 'ws'
import type { LinkConditions } from './conditions.js'

/** Something the server puts on a socket. */
export type Outgoing =
  | { kind: 'frame'; data: string | Buffer | Uint8Array }
  | { kind: 'ping' }
  | { kind: 'pong'; data: Buffer }
  | { kind: 'close'; code: number; reason: string }

/**
 * Sends to one socket through the current {@link LinkConditions}, in order, and calls
 * `overflow` (once) when more than `maxBufferedBytes` wait to be written: a reader that slow is
 * cut rather than buffered without end.
 */
export interface Outbox {
  push(item: Outgoing): void
  /** Drops whatever is still held and its timer. */
  dispose(): void
}

function deliver(ws: WebSocket, item: Outgoing): void {
  if (ws.readyState !== WebSocket.OPEN) return
  try {
    switch (item.kind) {
      case 'frame':
        ws.send(item.data, { binary: typeof item.data !== 'string' })
        return
      case 'ping':
        ws.ping()
        return
      case 'pong':
        ws.pong(item.data)
        return
      case 'close':
        ws.close(item.code, item.reason)
        return
    }
  } catch {
    // The socket failed between the state check and the write; its 'close' handler cleans up.
  }
}

/**
 * An outbox for `ws`. With no delay, items go out at once. With a delay, each item is held
 * `delayMs` from when it was pushed, and never overtakes an earlier one even when the delay
 * is lowered meanwhile — a slow link reorders nothing.
 */
export function createOutbox(
  ws: WebSocket,
  conditions: Readonly<LinkConditions>,
  maxBufferedBytes: number,
  overflow: () => void,
): Outbox {
  const held: { due: number; item: Outgoing }[] = []
  let heldBytes = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let overflowed = false

  const check = (): void => {
    if (overflowed || ws.bufferedAmount + heldBytes <= maxBufferedBytes) return
    overflowed = true
    overflow()
  }

  const flush = (): void => {
    timer = undefined
    const now = Date.now()
    // Timers may fire a millisecond early; the `due` check keeps the promised delay.
    for (let next = held[0]; next !== undefined; next = held[0]) {
      if (next.due > now) {
        timer = setTimeout(flush, next.due - now)
        return
      }
      held.shift()
      heldBytes -= sizeOf(next.item)
      if (!conditions.blackholed) deliver(ws, next.item)
    }
    check()
  }

  return {
    push(item) {
      if (conditions.blackholed || overflowed) return
      if (conditions.delayMs <= 0 && held.length === 0) {
        deliver(ws, item)
        return check()
      }
      held.push({ due: Date.now() + conditions.delayMs, item })
      heldBytes += sizeOf(item)
      check()
      // Only the oldest item has a timer; flush works through the rest in order.
      if (timer === undefined && held.length === 1) timer = setTimeout(flush, conditions.delayMs)
    },
    dispose() {
      clearTimeout(timer)
      timer = undefined
      held.length = 0
      heldBytes = 0
    },
  }
}

// Close enough for a limit: text is counted in UTF-16 units, not UTF-8 bytes.
const sizeOf = (item: Outgoing): number => (item.kind === 'frame' ? item.data.length : 0)
