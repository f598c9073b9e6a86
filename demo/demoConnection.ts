/**
 * The page's connection, and the switch in its header that moves it between linklight's
 * reference server and the Socket.IO server. One connection at a time: switching closes the
 * current one (the other tabs see this one leave) and opens the other, in a store of its own.
 * It lives outside React, as the store did before the switch, so StrictMode's double effects
 * never open a second connection.
 */
import { io } from 'socket.io-client'
import { fromSocketIO, type SocketIOSource } from '../src/adapters/socketio.js'
import { createClient, createConnectionStore, type ConnectionStore } from '../src/index.js'
import type { DemoSettings, DemoVia } from './settings.js'

/**
 * How long one Socket.IO attempt may take before it counts as failed (socket.io-client's
 * `timeout`, 20 s by default): short, so attempts into a silenced server fail visibly.
 */
export const SOCKETIO_CONNECT_TIMEOUT = 5000

/** The page's current connection. */
export interface DemoConnection {
  readonly via: DemoVia
  readonly store: ConnectionStore
  /** The Socket.IO adapter, when `via` is `'socketio'`: the page shows its `recovered`. */
  readonly socketio: SocketIOSource | null
}

/** The switch: which connection the page has, and a way to change it. */
export interface ConnectionSwitch {
  getSnapshot(): DemoConnection
  subscribe(listener: () => void): () => void
  /** Closes the current connection and opens one to `via`; nothing when it is the current one. */
  choose(via: DemoVia): void
  /** Closes the current connection; for `pagehide`. */
  destroy(): void
}

/** Opens the page's connection to `via`, signed in as `settings.id`. */
export function openConnection(via: DemoVia, settings: DemoSettings): DemoConnection {
  if (via === 'socketio') {
    const socket = io(settings.socketioUrl, {
      // One long-lived WebSocket per tab: the faults act on it, and a kill reads as
      // "transport close" from the first second (long-polling's requests would say otherwise).
      transports: ['websocket'],
      timeout: SOCKETIO_CONNECT_TIMEOUT,
      // socket.io-client shares a manager per URL: a switch back must start a fresh one.
      forceNew: true,
      // attachPresence lists this tab under `name`, with `data` as its presence data.
      auth: { name: settings.id, data: { name: settings.id } },
    })
    const socketio = fromSocketIO(socket)
    return { via, store: createConnectionStore(socketio), socketio }
  }
  const client = createClient(settings.wsUrl, settings.timings)
  // A refused login ends in ERROR, which the page shows; the promise has nothing to add.
  client.login({ id: settings.id }).catch(() => {})
  return { via, store: createConnectionStore(client), socketio: null }
}

/**
 * The switch, starting with a connection to `settings.via`.
 *
 * @example
 * ```ts
 * const connection = createConnectionSwitch(settings)
 * connection.choose('socketio')
 * connection.getSnapshot().store // the store over fromSocketIO(io(url))
 * ```
 */
export function createConnectionSwitch(
  settings: DemoSettings,
  open: (via: DemoVia, settings: DemoSettings) => DemoConnection = openConnection,
): ConnectionSwitch {
  let current = open(settings.via, settings)
  const listeners = new Set<() => void>()
  return {
    getSnapshot: () => current,
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    choose(via) {
      if (via === current.via) return
      current.store.getState().destroy()
      current = open(via, settings)
      for (const listener of [...listeners]) listener()
    },
    destroy: () => current.store.getState().destroy(),
  }
}
