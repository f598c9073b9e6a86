/**
 * Yjs providers as the tests build them in Node: `ws` as their WebSocket, retries kept short, and
 * one `destroy()` that lets go of everything (the provider, its socket, its document).
 */
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider'
import { WebSocket } from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'

export interface YWebsocketOptions {
  /** Connect at once (default true). */
  readonly connect?: boolean
  /** Cap of its retry backoff (y-websocket's default is 2.5 s). */
  readonly maxBackoffTime?: number
  readonly doc?: Y.Doc
}

/** A y-websocket provider of `room` at `url`. */
export function yWebsocketProvider(url: string, room: string, options: YWebsocketOptions = {}) {
  const doc = options.doc ?? new Y.Doc()
  const provider = new WebsocketProvider(url, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    // Node 20 has a global BroadcastChannel: without this, two providers of one room in this
    // process would sync through it instead of through the server.
    disableBc: true,
    ...(options.connect !== undefined && { connect: options.connect }),
    ...(options.maxBackoffTime !== undefined && { maxBackoffTime: options.maxBackoffTime }),
  })
  return {
    doc,
    provider,
    destroy() {
      provider.destroy()
      doc.destroy()
    },
  }
}

export interface HocuspocusOptions {
  readonly token?: string
  readonly messageReconnectTimeout?: number
  /** Connect the socket at once (default true). */
  readonly autoConnect?: boolean
  /** Cap of its retry delay (default here 500 ms; Hocuspocus's own grows to 30 s). */
  readonly maxDelay?: number
  readonly doc?: Y.Doc
}

/**
 * A Hocuspocus provider of document `name` at `url`, on a socket of its own. Made with a socket
 * passed in, the provider does not attach itself: call `provider.attach()` (fromYjs's
 * `connect()` and `login()` do).
 */
export function hocuspocusProvider(url: string, name: string, options: HocuspocusOptions = {}) {
  const doc = options.doc ?? new Y.Doc()
  const socket = new HocuspocusProviderWebsocket({
    url,
    WebSocketPolyfill: WebSocket,
    // Retry fast (the defaults start at 1 s and grow to 30 s, with jitter).
    delay: 100,
    minDelay: 100,
    maxDelay: options.maxDelay ?? 500,
    ...(options.autoConnect !== undefined && { autoConnect: options.autoConnect }),
    ...(options.messageReconnectTimeout !== undefined && {
      messageReconnectTimeout: options.messageReconnectTimeout,
    }),
  })
  const provider = new HocuspocusProvider({
    websocketProvider: socket,
    name,
    document: doc,
    ...(options.token !== undefined && { token: options.token }),
  })
  return {
    doc,
    socket,
    provider,
    destroy() {
      // ws throws 'error' on a socket closed while connecting once Hocuspocus took its
      // listeners off (a server killed for good): give it one.
      socket.webSocket?.addEventListener('error', () => {})
      provider.destroy()
      socket.destroy()
      doc.destroy()
    },
  }
}
