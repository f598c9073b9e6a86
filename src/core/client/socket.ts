/**
 * One WebSocket of the client, and what its events mean to the machine. The socket's own
 * handlers never throw into the WebSocket implementation: what a frame does is the caller's.
 */
import type { WebSocketConstructor, WebSocketLike } from '../options.js'

/** What a socket reports, in the order it happens. */
export interface SocketEvents {
  opened(): void
  message(data: unknown): void
  /** The socket closed, or could not be opened; `message` says which, and the close code. */
  closed(message: string): void
}

/** An open (or opening) socket: write to it, or let it go. */
export interface Socket {
  readonly url: string
  /** Sends a frame; a socket that is going away drops it (its close event follows). */
  write(text: string): void
  /** Detaches every handler and closes: `1000` for `close()`, `4000` to reconnect. */
  release(code: 1000 | 4000): void
}

const noop = () => {}

/** Opens a socket to `url`; a constructor that throws reports `closed` at once. */
export function openSocket(
  WebSocket: WebSocketConstructor,
  url: string,
  on: SocketEvents,
): Socket | null {
  let ws: WebSocketLike
  try {
    ws = new WebSocket(url)
  } catch (error) {
    on.closed(`Could not open ${url}: ${String(error)}`)
    return null
  }
  let opened = false
  ws.onopen = () => {
    opened = true
    on.opened()
  }
  ws.onmessage = (event) => on.message(event.data)
  ws.onerror = noop // the close event that follows says what happened
  ws.onclose = (event) =>
    on.closed(
      `${opened ? 'The connection to' : 'Could not connect to'} ${url} (code ${event.code}${event.reason ? `: ${event.reason}` : ''})`,
    )
  return {
    url,
    write(text) {
      try {
        ws.send(text)
      } catch {
        // The socket is going away; its close event follows and unacknowledged messages are resent.
      }
    },
    release(code) {
      ws.onopen = ws.onmessage = ws.onclose = null
      // `ws` emits 'error' when closed while connecting; with no listener that would throw.
      ws.onerror = noop
      try {
        ws.close(code, code == 1000 ? 'closed by client' : 'reconnecting')
      } catch {
        // already closing
      }
    },
  }
}
